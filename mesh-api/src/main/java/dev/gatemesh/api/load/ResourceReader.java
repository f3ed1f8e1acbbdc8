package dev.gatemesh.api.load;

import dev.gatemesh.api.bind.NearestName;
import dev.gatemesh.api.bind.RecordBinder;
import dev.gatemesh.api.model.ApiGroup;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.ObjectMeta;
import dev.gatemesh.api.model.Origin;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.SourcePositions;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.problem.ProblemCode;
import dev.gatemesh.api.model.ResourceRef;
import dev.gatemesh.api.problem.Severity;
import dev.gatemesh.api.host.Names;
import dev.gatemesh.api.yaml.YamlNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one YAML document (from a file, or a Kubernetes object as plain data) into a typed
 * {@link Resource}, reporting every schema problem: unknown and unsupported fields, wrong types,
 * unknown kinds and versions, a missing name. Semantic checks are the validators' job.
 */
public final class ResourceReader {

    /**
     * The resource (null when the document is not one Gatemesh reads), what was wrong with it, and the
     * paths of fields that were written but could not be read (left absent in the resource).
     */
    public record Outcome(Resource<?> resource, List<Problem> problems, Set<String> failedPaths) {
        public Outcome(Resource<?> resource, List<Problem> problems) {
            this(resource, problems, Set.of());
        }

        public boolean hasErrors() {
            return problems.stream().anyMatch(Problem::isError);
        }
    }

    private static final List<String> TOP_LEVEL = List.of("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> IGNORED_TOP_LEVEL = Set.of("status");

    private final String defaultNamespace;

    public ResourceReader(String defaultNamespace) {
        this.defaultNamespace = defaultNamespace;
    }

    public Outcome read(YamlNode root, String file, int line) {
        List<Problem> problems = new ArrayList<>();
        if (!(root instanceof YamlNode.Mapping mapping)) {
            problems.add(new Problem(Severity.ERROR, ProblemCode.NOT_A_RESOURCE, null, file, line, null,
                    "expected a Kubernetes-style object with apiVersion, kind, metadata and spec, got " + root.describe()));
            return new Outcome(null, problems);
        }
        String apiVersion = scalarText(mapping.get("apiVersion"));
        String kindName = scalarText(mapping.get("kind"));
        for (String key : List.of("apiVersion", "kind")) {
            if (mapping.get(key) != null && scalarText(mapping.get(key)) == null
                    && !(mapping.get(key) instanceof YamlNode.Scalar s && s.isNull())) {
                problems.add(new Problem(Severity.ERROR, ProblemCode.NOT_A_RESOURCE, null, file, mapping.get(key).line(),
                        key, key + " must be a string, got " + mapping.get(key).describe()));
                return new Outcome(null, problems);
            }
        }
        if (apiVersion == null || kindName == null) {
            problems.add(new Problem(Severity.ERROR, ProblemCode.NOT_A_RESOURCE, null, file, line,
                    apiVersion == null ? "apiVersion" : "kind",
                    "missing " + (apiVersion == null ? "apiVersion" : "kind") + "; every document must say what it is"
                            + " (for example apiVersion: networking.istio.io/v1, kind: VirtualService)"));
            return new Outcome(null, problems);
        }
        int apiVersionLine = keyLine(mapping, "apiVersion", line);
        int kindLine = keyLine(mapping, "kind", line);
        String rawName = scalarText(path(mapping, "metadata", "name"));
        String rawNamespace = scalarText(path(mapping, "metadata", "namespace"));
        ResourceRef ref = new ResourceRef(kindName, rawNamespace == null ? defaultNamespace : rawNamespace, rawName);
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        ApiGroup apiGroup = ApiGroup.ofIstioGroup(group);
        if (apiGroup == null) {
            if (group.endsWith(".istio.io")) {
                problems.add(new Problem(Severity.WARNING, ProblemCode.UNSUPPORTED_KIND, ref, file, apiVersionLine, "apiVersion",
                        "Gatemesh does not support " + apiVersion + " " + kindName + "; it is ignored"));
                return new Outcome(null, problems);
            }
            return new Outcome(kubernetesObject(group, kindName, mapping, ref, file, line, apiVersion), problems);
        }
        Kind kind = Kind.ofIstio(apiGroup, kindName);
        if (kind == null) {
            Kind elsewhere = kindInOtherGroup(kindName);
            Severity severity = elsewhere != null || apiGroup.failClosed() ? Severity.ERROR : Severity.WARNING;
            String nearest = NearestName.find(kindName, Arrays.stream(Kind.values()).filter(k -> k.group() == apiGroup)
                    .map(Kind::kindName).toList());
            String message = elsewhere != null
                    ? kindName + " belongs to " + elsewhere.group().group() + ", not " + group
                    : "Gatemesh does not support kind " + kindName + " of " + group
                    + (nearest != null ? " (did you mean " + nearest + "?)" : "")
                    + (severity == Severity.ERROR ? "; security configuration it cannot enforce is rejected" : "; it is ignored");
            problems.add(new Problem(severity, ProblemCode.UNSUPPORTED_KIND, ref, file, kindLine, "kind", message));
            return new Outcome(null, problems);
        }
        if (!apiGroup.versions().contains(version)) {
            problems.add(new Problem(Severity.ERROR, ProblemCode.UNSUPPORTED_KIND, ref, file, apiVersionLine, "apiVersion",
                    "version \"" + version + "\" of " + group + " is not supported; use one of "
                            + String.join(", ", apiGroup.versions().stream().map(v -> group + "/" + v).toList())));
            return new Outcome(null, problems);
        }
        Set<String> failedPaths = new java.util.HashSet<>();
        return new Outcome(bindIstio(kind, apiVersion, mapping, ref, file, line, problems, failedPaths), problems,
                failedPaths);
    }

    private Resource<?> bindIstio(Kind kind, String apiVersion, YamlNode.Mapping mapping, ResourceRef ref, String file,
                                  int line, List<Problem> problems, Set<String> failedPaths) {
        for (YamlNode.Entry entry : mapping.entries()) {
            if (!TOP_LEVEL.contains(entry.key()) && !IGNORED_TOP_LEVEL.contains(entry.key())) {
                String nearest = NearestName.find(entry.key(), TOP_LEVEL);
                problems.add(new Problem(Severity.ERROR, ProblemCode.UNKNOWN_FIELD, ref, file, entry.keyLine(), entry.key(),
                        "unknown field \"" + entry.key() + "\"" + (nearest != null ? "; did you mean \"" + nearest + "\"?"
                                : "; a resource has apiVersion, kind, metadata and spec")));
            }
        }
        RecordBinder binder = new RecordBinder(kind.group().failClosed(), (severity, code, path, at, message) ->
                problems.add(new Problem(severity, code, ref, file, at > 0 ? at : line, path, message)));
        for (String key : List.of("metadata", "spec")) {
            int keyLine = keyLine(mapping, key, 0);
            if (keyLine > 0) {
                binder.positions().put(key, keyLine);
            }
        }
        ObjectMeta metadata = binder.bindRecord(mapping.get("metadata"), ObjectMeta.class, "metadata");
        SourcePositions positions = new SourcePositions(binder.positions());
        int nameLine = positions.lineOf("metadata.name") > 0 ? positions.lineOf("metadata.name") : line;
        int namespaceLine = positions.lineOf("metadata.namespace") > 0 ? positions.lineOf("metadata.namespace") : line;
        metadata = checkMetadata(metadata == null ? new ObjectMeta(null, null, null, null) : metadata, ref, file, nameLine,
                namespaceLine, problems);
        Object spec = binder.bindRecord(mapping.get("spec"), kind.specType(), "spec");
        failedPaths.addAll(binder.failedPaths());
        if (spec == null) {
            return null; // spec is not a mapping: reported by the binder, nothing to validate
        }
        return new Resource<>(kind, apiVersion, metadata, spec,
                new Origin(file, line, new SourcePositions(binder.positions())));
    }

    private ObjectMeta checkMetadata(ObjectMeta metadata, ResourceRef ref, String file, int line, int namespaceLine,
                                     List<Problem> problems) {
        if (metadata.name() == null || metadata.name().isEmpty()) {
            problems.add(new Problem(Severity.ERROR, ProblemCode.MISSING_NAME, ref, file, line, "metadata.name",
                    "every resource needs metadata.name"));
        } else if (!Names.isDnsSubdomain(metadata.name())) {
            problems.add(new Problem(Severity.ERROR, ProblemCode.MISSING_NAME, ref, file, line, "metadata.name",
                    "\"" + metadata.name() + "\" is not a valid Kubernetes name (lower-case letters, digits, '-' and '.',"
                            + " starting and ending with a letter or digit, at most 253 characters)"));
        }
        if (metadata.namespace() == null) {
            return metadata.withNamespace(defaultNamespace);
        }
        if (!Names.isDnsLabel(metadata.namespace())) {
            problems.add(new Problem(Severity.ERROR, ProblemCode.INVALID_NAME, ref, file, namespaceLine, "metadata.namespace",
                    "\"" + metadata.namespace() + "\" is not a valid namespace name (lower-case letters, digits and '-',"
                            + " at most 63 characters)"));
        }
        return metadata;
    }

    private Resource<?> kubernetesObject(String group, String kindName, YamlNode.Mapping mapping, ResourceRef ref,
                                         String file, int line, String apiVersion) {
        Object spec;
        Kind kind;
        if (group.isEmpty() && kindName.equals("Service")) {
            kind = Kind.KUBERNETES_SERVICE;
            spec = KubernetesManifests.service(mapping);
        } else if (KubernetesManifests.WORKLOAD_KINDS.contains(kindName)) {
            kind = Kind.KUBERNETES_WORKLOAD;
            spec = KubernetesManifests.workload(kindName, mapping);
        } else {
            return null; // other Kubernetes kinds are not Gatemesh's to check
        }
        if (ref.name() == null) {
            return null;
        }
        ObjectMeta metadata = new ObjectMeta(ref.name(), ref.namespace(), Map.of(), Map.of());
        return new Resource<>(kind, apiVersion, metadata, spec, new Origin(file, line, SourcePositions.NONE));
    }

    private static int keyLine(YamlNode.Mapping mapping, String key, int fallback) {
        for (YamlNode.Entry entry : mapping.entries()) {
            if (entry.key().equals(key) && entry.keyLine() > 0) {
                return entry.keyLine();
            }
        }
        return fallback;
    }

    private static Kind kindInOtherGroup(String kindName) {
        for (Kind kind : Kind.values()) {
            if (kind.group().isIstio() && kind.kindName().equals(kindName)) {
                return kind;
            }
        }
        return null;
    }

    private static YamlNode path(YamlNode.Mapping root, String first, String second) {
        return root.get(first) instanceof YamlNode.Mapping inner ? inner.get(second) : null;
    }

    private static String scalarText(YamlNode node) {
        return node instanceof YamlNode.Scalar scalar && !scalar.isNull() ? scalar.text() : null;
    }
}
