package dev.gatemesh.server.admission;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Pods and settings as the tests of injection use them. */
final class TestPods {

    static final Map<String, String> ENABLED = Map.of(InjectionAnnotations.NAMESPACE_LABEL,
            InjectionAnnotations.NAMESPACE_LABEL_ENABLED);

    private TestPods() {
    }

    static InjectionSettings settings(RedirectMode redirect) {
        return new InjectionSettings("gatemesh/mesh-sidecar:test", "gatemesh/proxy-init:test", redirect, 1337,
                Map.of("cpu", "100m", "memory", "256Mi"), Map.of("memory", "512Mi"),
                URI.create("https://gatemesh-config-server.gatemesh-system.svc:15012"), "cluster.local", "gatemesh-system",
                "cluster.local", null, List.of(443), "MERGE_SLASHES");
    }

    /** A pod as a ReplicaSet creates it: a generated name, labels, one init container and an app with two ports. */
    static PodBuilder reviewsPod() {
        return new PodBuilder()
                .withNewMetadata().withGenerateName("reviews-v1-5d8f7c-").withNamespace("bookinfo")
                .addToLabels("app", "reviews").addToLabels("version", "v1").addToLabels("app.kubernetes.io/part-of", "bookinfo")
                .endMetadata()
                .withNewSpec().withServiceAccountName("bookinfo-reviews")
                .addNewInitContainer().withName("migrate").withImage("reviews-migrate:1").endInitContainer()
                .addNewContainer().withName("reviews").withImage("reviews:1")
                .addNewPort().withName("http").withContainerPort(9080).endPort()
                .addNewPort().withName("admin").withContainerPort(9081).withProtocol("TCP").endPort()
                .addNewPort().withName("dns").withContainerPort(53).withProtocol("UDP").endPort()
                .endContainer()
                .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec();
    }

    static Pod reviews() {
        return reviewsPod().build();
    }
}
