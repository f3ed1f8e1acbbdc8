package dev.gatemesh.api.load;

import dev.gatemesh.api.model.KubernetesService;
import dev.gatemesh.api.model.KubernetesWorkload;
import dev.gatemesh.api.yaml.YamlNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads, leniently, the little the analyzer needs of plain Kubernetes objects that sit beside Istio
 * manifests: a Service declares a host; a Pod or pod controller declares workload labels. Everything
 * else in them is Kubernetes' business and is not checked here.
 */
final class KubernetesManifests {

    static final Set<String> WORKLOAD_KINDS = Set.of("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
            "Job", "CronJob", "ReplicationController");

    private KubernetesManifests() {
    }

    static KubernetesService service(YamlNode.Mapping root) {
        YamlNode.Mapping spec = mapping(root.get("spec"));
        List<KubernetesService.Port> ports = new ArrayList<>();
        if (spec != null && spec.get("ports") instanceof YamlNode.Sequence sequence) {
            for (YamlNode item : sequence.items()) {
                if (item instanceof YamlNode.Mapping port) {
                    ports.add(new KubernetesService.Port(text(port.get("name")), integer(port.get("port")),
                            text(port.get("protocol"))));
                }
            }
        }
        return new KubernetesService(spec == null ? Map.of() : strings(spec.get("selector")), ports);
    }

    static KubernetesWorkload workload(String kind, YamlNode.Mapping root) {
        YamlNode.Mapping pod = root;
        if (kind.equals("CronJob")) {
            pod = mapping(path(root, "spec", "jobTemplate", "spec", "template"));
        } else if (!kind.equals("Pod")) {
            pod = mapping(path(root, "spec", "template"));
        }
        if (pod == null) {
            return new KubernetesWorkload(kind, Map.of(), null);
        }
        return new KubernetesWorkload(kind, strings(path(pod, "metadata", "labels")),
                text(path(pod, "spec", "serviceAccountName")));
    }

    private static YamlNode path(YamlNode node, String... keys) {
        YamlNode current = node;
        for (String key : keys) {
            if (!(current instanceof YamlNode.Mapping mapping)) {
                return null;
            }
            current = mapping.get(key);
        }
        return current;
    }

    private static YamlNode.Mapping mapping(YamlNode node) {
        return node instanceof YamlNode.Mapping mapping ? mapping : null;
    }

    private static String text(YamlNode node) {
        return node instanceof YamlNode.Scalar scalar && !scalar.isNull() ? scalar.text() : null;
    }

    private static Integer integer(YamlNode node) {
        try {
            return node instanceof YamlNode.Scalar scalar ? Integer.valueOf(scalar.text()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Map<String, String> strings(YamlNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node instanceof YamlNode.Mapping mapping) {
            for (YamlNode.Entry entry : mapping.entries()) {
                String value = text(entry.value());
                out.put(entry.key(), value == null ? "" : value);
            }
        }
        return out;
    }
}
