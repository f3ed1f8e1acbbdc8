package dev.gatemesh.server.admission;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A namespace's labels, or null when they cannot be known (then the webhook's namespaceSelector has decided). */
@FunctionalInterface
public interface NamespaceLabels {

    Map<String, String> of(String namespace);

    /** Outside a cluster nothing is known about namespaces. */
    static NamespaceLabels unknown() {
        return namespace -> null;
    }

    /** Read from the API server (a blocking call). */
    static NamespaceLabels of(KubernetesClient client) {
        Logger log = LoggerFactory.getLogger(NamespaceLabels.class);
        return namespace -> {
            if (namespace == null) {
                return null;
            }
            try {
                Namespace found = client.namespaces().withName(namespace).get();
                if (found == null) {
                    return null;
                }
                return found.getMetadata().getLabels() == null ? Map.of() : found.getMetadata().getLabels();
            } catch (RuntimeException e) {
                log.warn("Reading namespace {} failed ({}); the webhook's namespaceSelector decides", namespace, e.getMessage());
                return null;
            }
        };
    }
}
