package dev.gatemesh.api.load;

import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.problem.ProblemCode;
import dev.gatemesh.api.problem.Severity;
import dev.gatemesh.api.validate.ResourceValidator;
import dev.gatemesh.api.yaml.YamlDocument;
import dev.gatemesh.api.yaml.YamlNode;
import dev.gatemesh.api.yaml.YamlReader;
import dev.gatemesh.api.limit.InputLimits;
import dev.gatemesh.api.limit.Limit;
import dev.gatemesh.api.limit.LimitExceeded;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.HashSet;
import java.util.Set;
import java.io.UncheckedIOException;
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
    private final InputLimits limits;

    public ManifestLoader(LoadOptions options) {
        this.limits = options.limits();
        this.reader = new ResourceReader(options.defaultNamespace());
        this.validator = new ResourceValidator();
    }

    public LoadResult loadPaths(List<Path> paths) {
        List<Problem> listing = new ArrayList<>();
        List<FileRead> reads = new ArrayList<>();
        for (Path file : manifestFiles(paths, listing)) {
            reads.add(readFile(file));
        }
        return combine(reads, listing);
    }

    /**
     * The manifest files of the paths: a file as it is, a folder's YAML and JSON files (recursively, sorted, hidden
     * entries skipped). A path that does not exist, or a folder that cannot be listed, is a problem.
     */
    public List<Path> manifestFiles(List<Path> paths, List<Problem> problems) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                files.addAll(yamlFilesUnder(path, problems));
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                problems.add(new Problem(Severity.ERROR, ProblemCode.UNREADABLE, null, path.toString(), 0, null,
                        "no such file or folder"));
            }
        }
        return files;
    }

    /** Reads YAML text as if it were a file with the given name. */
    public LoadResult loadText(String fileName, String text) {
        return combine(List.of(readGuarded(fileName, () -> readText(fileName, text))), List.of());
    }

    /**
     * Reads one file within the limits: its size is checked before it is read, and the parser stops at the first
     * limit crossed. Whatever goes wrong (a limit, a failure of any kind) is a problem of that file: it never
     * stops the others from being read, and it never comes back as an exception.
     */
    public FileRead readFile(Path file) {
        return readGuarded(file.toString(), () -> readBounded(file));
    }

    private FileRead readGuarded(String fileName, java.util.function.Supplier<FileRead> read) {
        try {
            return read.get();
        } catch (StackOverflowError | RuntimeException e) {
            return FileRead.rejected(fileName, new Problem(Severity.ERROR, ProblemCode.UNREADABLE, null, fileName, 0, null,
                    "the file could not be read (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")"));
        }
    }

    private FileRead readBounded(Path file) {
        String fileName = file.toString();
        long max = limits.maxFileSize();
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > max) {
                return overLimit(fileName, new LimitExceeded(Limit.FILE_SIZE, max, "the file", size, false, 0, null));
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            }
            if (bytes.length > max) { // it grew since its size was taken
                return overLimit(fileName, new LimitExceeded(Limit.FILE_SIZE, max, "the file", bytes.length, true, 0, null));
            }
        } catch (IOException e) {
            return FileRead.rejected(fileName, new Problem(Severity.ERROR, ProblemCode.UNREADABLE, null, fileName, 0, null,
                    "cannot read the file: " + e.getMessage()));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return FileRead.rejected(fileName, new Problem(Severity.ERROR, ProblemCode.UNREADABLE, null, fileName, 0, null,
                    "the file is not UTF-8 text"));
        }
        return readText(fileName, text);
    }

    private static FileRead overLimit(String fileName, LimitExceeded exceeded) {
        return FileRead.rejected(fileName, limitProblem(fileName, exceeded));
    }

    private static Problem limitProblem(String fileName, LimitExceeded exceeded) {
        return new Problem(Severity.ERROR, ProblemCode.LIMIT_EXCEEDED, null, fileName, exceeded.line(), exceeded.path(),
                exceeded.message() + "; the file is rejected whole");
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

    private FileRead readText(String fileName, String text) {
        List<Problem> fileProblems = new ArrayList<>();
        YamlReader.Result parsed = YamlReader.read(text, limits);
        if (parsed.limitExceeded() != null) {
            return overLimit(fileName, parsed.limitExceeded());
        }
        for (YamlReader.DuplicateKey duplicate : parsed.duplicateKeys()) {
            fileProblems.add(new Problem(Severity.ERROR, ProblemCode.DUPLICATE_KEY, null, fileName, duplicate.line(),
                    duplicate.path(), "the key \"" + duplicate.key() + "\" appears twice in the same mapping (first on line "
                    + duplicate.firstLine() + "); only one may stay"));
        }
        if (parsed.syntaxError() != null) {
            fileProblems.add(new Problem(Severity.ERROR, ProblemCode.YAML_SYNTAX, null, fileName,
                    parsed.syntaxError().line(), null, "invalid YAML: " + parsed.syntaxError().getMessage()));
        }
        List<LoadedResource> resources = new ArrayList<>();
        for (YamlDocument document : parsed.documents()) {
            LoadedResource loaded = readDocument(document.root(), fileName, document.line(), fileProblems);
            if (loaded != null) {
                resources.add(loaded);
            }
        }
        return new FileRead(fileName, resources, fileProblems, false);
    }

    /**
     * Puts files read one by one together, in order: a file that would take the source over its resource limit is
     * rejected whole (as any file over a limit), and the same resource defined twice is reported.
     *
     * @param listingProblems problems found listing the files (a missing path, a folder that cannot be listed)
     */
    public LoadResult combine(List<FileRead> reads, List<Problem> listingProblems) {
        List<LoadedResource> resources = new ArrayList<>();
        List<Problem> fileProblems = new ArrayList<>(listingProblems);
        Set<String> incomplete = new HashSet<>();
        int total = 0;
        for (FileRead read : reads) {
            if (!read.rejected() && total + read.resources().size() > limits.maxResources()) {
                read = overLimit(read.file(), new LimitExceeded(Limit.RESOURCES, limits.maxResources(),
                        "with this file the source", total + read.resources().size(), false, 0, null));
            }
            fileProblems.addAll(read.problems());
            resources.addAll(read.resources());
            total += read.resources().size();
            if (read.rejected() || read.problems().stream().anyMatch(p -> p.code() == ProblemCode.YAML_SYNTAX)) {
                incomplete.add(read.file());
            }
        }
        return finish(resources, fileProblems, incomplete);
    }

    private static LoadResult finish(List<LoadedResource> resources, List<Problem> fileProblems, Set<String> incomplete) {
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
        return new LoadResult(checked, fileProblems, incomplete);
    }
}
