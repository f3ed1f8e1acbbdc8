package dev.gatemesh.api.model;

import java.util.Map;

/**
 * The pods a Kubernetes Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet or Job among the manifests
 * stands for: their labels and service account. Lets the analyzer tell whether a selector matches.
 */
public record KubernetesWorkload(String workloadKind, Map<String, String> labels, String serviceAccount) {

    public KubernetesWorkload {
        labels = Immutable.map(labels);
    }
}
