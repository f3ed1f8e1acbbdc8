package dev.gatemesh.api.crd;

import static dev.gatemesh.api.crd.StructuralSchema.ordered;

import dev.gatemesh.api.model.ApiGroup;
import dev.gatemesh.api.model.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The CustomResourceDefinitions (apiextensions.k8s.io/v1) of every Istio-API kind Gatemesh reads, generated
 * from the model so that the cluster accepts exactly what the loader binds: one CRD per {@link Kind} of an
 * Istio group (a kind added to the model gets its CRD with no change here), its versions those the loader
 * accepts ({@link ApiGroup#versions()}, the first one stored, all served with the same schema), names, short
 * names and categories as Istio's own CRDs have them, so that {@code kubectl get vs} works either way.
 */
public final class CustomResourceDefinitions {

    /** Istio's short names; a kind not listed has none. */
    private static final Map<String, List<String>> SHORT_NAMES = Map.of(
            "VirtualService", List.of("vs"),
            "DestinationRule", List.of("dr"),
            "Gateway", List.of("gw"),
            "ServiceEntry", List.of("se"),
            "WorkloadEntry", List.of("we"),
            "PeerAuthentication", List.of("pa"),
            "AuthorizationPolicy", List.of("ap"),
            "RequestAuthentication", List.of("ra"));

    private static final DumpSettings YAML = DumpSettings.builder()
            .setSchema(new CoreSchema())
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .setIndent(2)
            .setIndicatorIndent(0)
            .setWidth(1000)
            .build();

    private CustomResourceDefinitions() {
    }

    /** The CRDs of every Istio-API kind, in {@link Kind} order. */
    public static List<Map<String, Object>> all() {
        return Arrays.stream(Kind.values()).filter(kind -> kind.group().isIstio())
                .map(CustomResourceDefinitions::of).toList();
    }

    /** All CRDs as one multi-document YAML text (deterministic: the same model gives the same bytes). */
    public static String yaml() {
        Dump dump = new Dump(YAML);
        StringBuilder out = new StringBuilder();
        for (Map<String, Object> crd : all()) {
            out.append("---\n").append(dump.dumpToString(crd));
        }
        return out.toString();
    }

    /** The CRD of one Istio-API kind. */
    public static Map<String, Object> of(Kind kind) {
        if (!kind.group().isIstio()) {
            throw new IllegalArgumentException(kind.kindName() + " is a Kubernetes kind, not a custom resource");
        }
        String group = kind.group().group();
        String plural = plural(kind.kindName());
        Map<String, Object> names = ordered(
                "kind", kind.kindName(),
                "listKind", kind.kindName() + "List",
                "plural", plural,
                "singular", kind.kindName().toLowerCase(Locale.ROOT));
        List<String> shortNames = SHORT_NAMES.getOrDefault(kind.kindName(), List.of());
        if (!shortNames.isEmpty()) {
            names.put("shortNames", shortNames);
        }
        names.put("categories", List.of("istio-io", group.replace('.', '-')));
        Map<String, Object> labels = ordered("app.kubernetes.io/part-of", "gatemesh");
        // Uninstalling the chart keeps the CRDs, and so the users' resources (as Istio's chart does).
        Map<String, Object> annotations = ordered("helm.sh/resource-policy", "keep");
        return ordered(
                "apiVersion", "apiextensions.k8s.io/v1",
                "kind", "CustomResourceDefinition",
                "metadata", ordered("name", plural + "." + group, "labels", labels, "annotations", annotations),
                "spec", ordered(
                        "group", group,
                        "names", names,
                        "scope", "Namespaced",
                        "versions", versions(kind)));
    }

    private static List<Object> versions(Kind kind) {
        List<String> versions = kind.group().versions();
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            out.add(ordered(
                    "name", versions.get(i),
                    "served", true,
                    "storage", i == 0,
                    "subresources", ordered("status", new LinkedHashMap<>()),
                    "schema", ordered("openAPIV3Schema", rootSchema(kind))));
        }
        return out;
    }

    private static Map<String, Object> rootSchema(Kind kind) {
        Map<String, Object> spec = StructuralSchema.of(kind.specType());
        spec.put("description", kind.kindName() + " spec, as Gatemesh binds it (Istio's field names).");
        Map<String, Object> status = ordered("type", "object", "x-kubernetes-preserve-unknown-fields", true);
        return ordered(
                "type", "object",
                "properties", ordered("spec", spec, "status", status));
    }

    /**
     * Kubernetes' plural resource name, as Istio's CRDs have it: VirtualService -> virtualservices,
     * ServiceEntry -> serviceentries, Gateway -> gateways (a vowel before the y keeps it).
     */
    public static String plural(String kindName) {
        String lower = kindName.toLowerCase(Locale.ROOT);
        if (lower.endsWith("y") && lower.length() > 1 && "aeiou".indexOf(lower.charAt(lower.length() - 2)) < 0) {
            return lower.substring(0, lower.length() - 1) + "ies";
        }
        return lower + "s";
    }
}
