package dev.gatemesh.meshctl.inject;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gatemesh.api.yaml.YamlNode;
import dev.gatemesh.api.yaml.YamlReader;
import dev.gatemesh.server.admission.InjectionDecision;
import dev.gatemesh.server.admission.SidecarInjector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Injects the sidecar into every pod a manifest would create (Pods, and the pod templates of Deployments,
 * StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs) with the config server's own injector, leaving every other
 * document exactly as written. A workload that cannot be read or injected is an error naming the file, the line and
 * the field; with any error there is no manifest, so that a pipeline never applies a half-injected one.
 */
public final class ManifestInjector {

    /**
     * The result: the manifest (null when there were errors), the errors, and notes on workloads left alone.
     */
    public record Outcome(String manifest, List<String> errors, List<String> notes) {
        public Outcome {
            errors = List.copyOf(errors);
            notes = List.copyOf(notes);
        }
    }

    /** Reads YAML with fabric8's model configuration, so that field locations survive into error messages. */
    private static final ObjectMapper READER = new ObjectMapper(new YAMLFactory());
    /** Configures {@link #READER} as fabric8 configures its own mapper (its constructor does). */
    private static final KubernetesSerialization MODEL = new KubernetesSerialization(READER, true);
    private static final YAMLMapper WRITER = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();

    private final SidecarInjector injector;

    public ManifestInjector(SidecarInjector injector) {
        this.injector = injector;
    }

    public Outcome inject(String file, String text) {
        List<String> errors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (YamlChunks.Chunk chunk : YamlChunks.split(text).chunks()) {
            out.add(injectDocument(file, chunk, errors, notes));
        }
        return new Outcome(errors.isEmpty() ? String.join("---\n", out) : null, errors, notes);
    }

    private String injectDocument(String file, YamlChunks.Chunk chunk, List<String> errors, List<String> notes) {
        if (chunk.isEmpty()) {
            return chunk.text();
        }
        JsonNode tree;
        try {
            tree = READER.readTree(chunk.text());
        } catch (JacksonException e) {
            errors.add(place(file, chunk, e.getLocation(), null) + "invalid YAML: " + firstLine(e.getOriginalMessage()));
            return chunk.text();
        }
        if (tree == null || !tree.isObject()) {
            return chunk.text();
        }
        Optional<PodTemplates> kind = PodTemplates.of(tree.path("apiVersion").asText(null), tree.path("kind").asText(null));
        if (kind.isEmpty()) {
            PodTemplates.ofKind(tree.path("kind").asText(null)).ifPresent(known -> notes.add(file + ":" + chunk.firstLine()
                    + ": " + tree.path("kind").asText() + " left unchanged: apiVersion " + tree.path("apiVersion").asText()
                    + " is not read; expected " + known.apiVersion()));
            return chunk.text();
        }
        HasMetadata object;
        try {
            object = READER.readValue(chunk.text(), kind.get().type());
        } catch (JacksonException e) {
            String field = e instanceof JsonMappingException mapping ? path(mapping.getPath()) : null;
            errors.add(place(file, chunk, e.getLocation(), field) + unreadable(e, tree, field));
            return chunk.text();
        }
        String name = tree.path("kind").asText() + " " + (object.getMetadata() == null ? "(unnamed)"
                : object.getMetadata().getName());
        Pod pod = kind.get().pod(object);
        if (pod == null || pod.getSpec() == null) {
            errors.add(place(file, chunk, null, kind.get().podPath() + "spec") + name + " has no pod template; expected "
                    + kind.get().podPath() + "spec with the pod's containers");
            return chunk.text();
        }
        String namespace = object.getMetadata() == null ? null : object.getMetadata().getNamespace();
        InjectionDecision decision = injector.inject(pod, namespace, null);
        if (decision instanceof InjectionDecision.Skipped skipped) {
            notes.add(file + ":" + chunk.firstLine() + ": " + name + " left unchanged: " + skipped.reason());
            return chunk.text();
        }
        if (decision instanceof InjectionDecision.Refused refused) {
            YamlNode root = rootOf(chunk);
            for (String problem : refused.problems()) {
                String field = kind.get().podPath() + problem.substring(0, problem.indexOf(':'));
                int line = lineOf(root, field);
                errors.add(file + ":" + (line > 0 ? chunk.firstLine() + line - 1 : chunk.firstLine()) + ": " + name + ": "
                        + kind.get().podPath() + problem);
            }
            return chunk.text();
        }
        kind.get().replacePod(object, ((InjectionDecision.Injected) decision).pod());
        try {
            return WRITER.writeValueAsString(MODEL.convertValue(object, JsonNode.class));
        } catch (JacksonException e) {
            throw new IllegalStateException("writing " + name + " as YAML failed: " + e.getOriginalMessage(), e);
        }
    }

    private static String place(String file, YamlChunks.Chunk chunk, JsonLocation location, String field) {
        int line = location == null || location.getLineNr() < 1 ? chunk.firstLine() : chunk.firstLine() + location.getLineNr() - 1;
        return file + ":" + line + ": " + (field == null || field.isEmpty() ? "" : field + ": ");
    }

    /** {@code "nine" is not an integer}: the value as written and what the field takes. */
    private static String unreadable(JacksonException e, JsonNode tree, String field) {
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            JsonNode value = field == null ? null : at(tree, ((JsonMappingException) e).getPath());
            String written = value == null || value.isMissingNode() ? "the value" : describe(value);
            return written + " is not " + expected(mismatch.getTargetType());
        }
        return "cannot be read: " + firstLine(e.getOriginalMessage());
    }

    private static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "\"" + value.asText() + "\"";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        return value.toString();
    }

    private static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a mapping";
        }
        if (type.getSimpleName().equals("IntOrString")) {
            return "a number or a name";
        }
        if (type.getSimpleName().equals("Quantity")) {
            return "a quantity such as 100m or 128Mi";
        }
        return "a " + type.getSimpleName() + " (a mapping)";
    }

    private static JsonNode at(JsonNode tree, List<JsonMappingException.Reference> path) {
        JsonNode node = tree;
        for (JsonMappingException.Reference reference : path) {
            if (node == null) {
                return null;
            }
            node = reference.getFieldName() != null ? node.get(reference.getFieldName()) : node.get(reference.getIndex());
        }
        return node;
    }

    /** {@code spec.template.spec.containers[0].ports[0].containerPort} */
    static String path(List<JsonMappingException.Reference> references) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static YamlNode rootOf(YamlChunks.Chunk chunk) {
        var documents = YamlReader.read(chunk.text()).documents();
        return documents.isEmpty() ? null : documents.get(0).root();
    }

    /**
     * The line (within the document) of a field such as {@code spec.template.metadata.annotations["a/b"]}: the deepest
     * key of the path that is written.
     */
    static int lineOf(YamlNode root, String field) {
        List<String> keys = new ArrayList<>();
        for (String part : field.split("\\.(?![^\\[]*\\])")) {
            int bracket = part.indexOf("[\"");
            if (bracket >= 0) {
                keys.add(part.substring(0, bracket));
                keys.add(part.substring(bracket + 2, part.length() - 2));
            } else {
                keys.add(part);
            }
        }
        YamlNode node = root;
        int line = 0;
        for (String key : keys) {
            if (!(node instanceof YamlNode.Mapping mapping)) {
                break;
            }
            YamlNode.Entry found = mapping.entries().stream().filter(e -> e.key().equals(key)).findFirst().orElse(null);
            if (found == null) {
                break;
            }
            line = found.keyLine();
            node = found.value();
        }
        return line;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unreadable";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
