package dev.gatemesh.api.load;

import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.problem.ProblemCode;
import dev.gatemesh.api.problem.Severity;
import dev.gatemesh.api.validate.ResourceValidator;
import dev.gatemesh.api.yaml.YamlDocument;
import dev.gatemesh.api.yaml.YamlNode;
import dev.gatemesh.api.yaml.YamlReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The boundary where configuration enters Gatemesh: reads YAML files and folders (multi-document,
 * JSON too), binds each document, validates it, and reports every problem with file, line and field.
 */
public final class ManifestLoader {

    private final ResourceReader reader;
    private final ResourceValidator validator;

    public ManifestLoader(LoadOptions options) {
        this.reader = new ResourceReader(options.defaultNamespace());
        this.validator = new ResourceValidator();
    }

    public LoadResult loadPaths(List<Path> paths) {
        List<LoadedResource> resources = new ArrayList<>();
        List<Problem> fileProblems = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                for (Path file : yamlFilesUnder(path, fileProblems)) {
                    loadFile(file, resources, fileProblems);
                }
            } else if (Files.isRegularFile(path)) {
                loadFile(path, resources, fileProblems);
            } else {
                fileProblems.add(new Problem(Severity.ERROR, ProblemCode.UNREADABLE, null, path.toString(), 0, null,
                        "no such file or folder"));
            }
        }
        return finish(resources, fileProblems);
    }

    /** Reads YAML text as if it were a file with the given name. */
    public LoadResult loadText(String fileName, String text) {
        List<LoadedResource> resources = new ArrayList<>();
        List<Problem> fileProblems = new ArrayList<>();
        readText(fileName, text, resources, fileProblems);
        return finish(resources, fileProblems);
    }

    /** Reads and validates one document; the entry point for sources that are not files. */
    public LoadedResource readDocument(YamlNode root, String origin, int line, List<Problem> unreadable) {
        ResourceReader.Outcome outcome = reader.read(root, origin, line);
        if (outcome.resource() == null) {
            unreadable.addAll(outcome.problems());
            return null;
        }
        List<Problem> problems = new ArrayList<>(outcome.problems());
        validator.validate(outcome.resource()).stream()
                .filter(p -> !isFollowOn(p, outcome.failedPaths()))
                .forEach(problems::add);
        return new LoadedResource(outcome.resource(), problems);
    }

    /**
     * A validator's complaint about a field whose value could not be read at all says nothing new:
     * "fixedDelay is required" after "fixedDelay: 5 is not a duration", or "a source must set at least
     * one field" when its only field is one Gatemesh does not support.
     */
    private static boolean isFollowOn(Problem problem, java.util.Set<String> failedPaths) {
        String field = problem.field();
        if (field == null || failedPaths.isEmpty()) {
            return false;
        }
        if (failedPaths.contains(field)) {
            return true;
        }
        boolean aboutPresence = problem.code() == ProblemCode.MISSING_FIELD || problem.code() == ProblemCode.ONE_OF;
        return aboutPresence && failedPaths.stream().anyMatch(p -> p.startsWith(field + ".") || p.startsWith(field + "["));
    }

    private static List<Path> yamlFilesUnder(Path folder, List<Problem> fileProblems) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !isHidden(folder.relativize(p)))
                    .filter(ManifestLoader::isYamlFile)
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            fileProblems.add(new Problem(Severity.ERROR, ProblemCode.UNREADABLE, null, folder.toString(), 0, null,
                    "cannot list the folder: " + e.getMessage()));
            return List.of();
        }
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    static boolean isYamlFile(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private void loadFile(Path file, List<LoadedResource> resources, List<Problem> fileProblems) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            fileProblems.add(new Problem(Severity.ERROR, ProblemCode.UNREADABLE, null, file.toString(), 0, null,
                    "the file is not UTF-8 text"));
            return;
        } catch (IOException e) {
            fileProblems.add(new Problem(Severity.ERROR, ProblemCode.UNREADABLE, null, file.toString(), 0, null,
                    "cannot read the file: " + e.getMessage()));
            return;
        }
        readText(file.toString(), text, resources, fileProblems);
    }

    private void readText(String fileName, String text, List<LoadedResource> resources, List<Problem> fileProblems) {
        YamlReader.Result parsed = YamlReader.read(text);
        for (YamlReader.DuplicateKey duplicate : parsed.duplicateKeys()) {
            fileProblems.add(new Problem(Severity.ERROR, ProblemCode.DUPLICATE_KEY, null, fileName, duplicate.line(),
                    duplicate.path(), "the key \"" + duplicate.key() + "\" appears twice in the same mapping (first on line "
                    + duplicate.firstLine() + "); only one may stay"));
        }
        if (parsed.syntaxError() != null) {
            fileProblems.add(new Problem(Severity.ERROR, ProblemCode.YAML_SYNTAX, null, fileName,
                    parsed.syntaxError().line(), null, "invalid YAML: " + parsed.syntaxError().getMessage()));
        }
        for (YamlDocument document : parsed.documents()) {
            LoadedResource loaded = readDocument(document.root(), fileName, document.line(), fileProblems);
            if (loaded != null) {
                resources.add(loaded);
            }
        }
    }

    private static LoadResult finish(List<LoadedResource> resources, List<Problem> fileProblems) {
        Map<String, Resource<?>> seen = new HashMap<>();
        List<LoadedResource> checked = new ArrayList<>();
        for (LoadedResource loaded : resources) {
            Resource<?> resource = loaded.resource();
            String key = resource.ref().toString();
            Resource<?> first = seen.putIfAbsent(key, resource);
            if (first == null || resource.name() == null) {
                checked.add(loaded);
                continue;
            }
            List<Problem> problems = new ArrayList<>(loaded.problems());
            problems.add(new Problem(Severity.ERROR, ProblemCode.DUPLICATE_RESOURCE, resource.ref(),
                    resource.origin().file(), resource.origin().lineOf("metadata.name"), "metadata.name",
                    resource.ref() + " is already defined at " + first.origin().file() + ":" + first.origin().line()));
            checked.add(new LoadedResource(resource, problems));
        }
        return new LoadResult(checked, fileProblems);
    }
}
