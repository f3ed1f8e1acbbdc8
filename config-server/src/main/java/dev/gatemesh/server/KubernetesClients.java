package dev.gatemesh.server;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The Kubernetes client: spring-cloud-kubernetes' in a cluster; outside one (where it builds none)
 * fabric8's own configuration ({@code ~/.kube/config}, {@code KUBERNETES_MASTER}), built once, closed here.
 */
public final class KubernetesClients implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubernetesClients.class);

    private final ObjectProvider<KubernetesClient> provided;
    private KubernetesClient client;
    private boolean owned;

    public KubernetesClients(ObjectProvider<KubernetesClient> provided) {
        this.provided = provided;
    }

    public synchronized KubernetesClient get() {
        if (client == null) {
            client = provided.getIfAvailable();
            if (client == null) {
                log.info("Not running in a cluster: the Kubernetes client uses fabric8's configuration"
                        + " (~/.kube/config, KUBERNETES_MASTER)");
                client = new KubernetesClientBuilder().build();
                owned = true;
            }
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (owned && client != null) {
            client.close();
        }
    }
}
