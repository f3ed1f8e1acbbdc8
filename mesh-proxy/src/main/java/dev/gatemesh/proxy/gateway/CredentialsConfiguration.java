package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.credentials.CredentialSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The gateway's one {@link CredentialSource}: a watched folder in local mode, the Secrets of the gateway's
 * namespace in Kubernetes ({@code gatemesh.gateway.credentials.source}). Imported by the ingress and the egress
 * gateway, not auto-configured: a sidecar serves no Gateway and has no credentials to read. The Kubernetes source
 * needs fabric8's {@code kubernetes-client} on the classpath (an optional dependency of mesh-proxy that the gateways
 * declare).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CredentialsProperties.class)
public class CredentialsConfiguration {

    static final Path POD_NAMESPACE_FILE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    /** Uses the application's KubernetesClient when it has one, else one of its own (closed with the source). */
    @Bean(destroyMethod = "close")
    CredentialSource credentialSource(CredentialsProperties properties, Environment environment,
                                      ObjectProvider<KubernetesClient> clients) {
        return switch (properties.source()) {
            case FILES -> new FileCredentialSource(properties.folder(), properties.debounce(), properties.rescan()).start();
            case KUBERNETES -> {
                String namespace = namespace(properties, POD_NAMESPACE_FILE,
                        environment.getProperty("gatemesh.proxy.namespace", "default"));
                KubernetesClient shared = clients.getIfAvailable();
                yield (shared != null ? new KubernetesCredentialSource(shared, namespace)
                        : new KubernetesCredentialSource(new KubernetesClientBuilder().build(), true, namespace)).start();
            }
        };
    }

    /** The configured namespace, else the pod's (from its service-account mount), else the proxy's. */
    static String namespace(CredentialsProperties properties, Path podNamespaceFile, String proxyNamespace) {
        if (properties.namespace() != null && !properties.namespace().isBlank()) {
            return properties.namespace();
        }
        try {
            if (Files.isReadable(podNamespaceFile)) {
                String pod = Files.readString(podNamespaceFile).trim();
                if (!pod.isEmpty()) {
                    return pod;
                }
            }
        } catch (IOException e) {
            // not in a pod
        }
        return proxyNamespace;
    }
}
