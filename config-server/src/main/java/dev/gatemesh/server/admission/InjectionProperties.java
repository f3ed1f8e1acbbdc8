package dev.gatemesh.server.admission;

import java.net.URI;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the sidecar injector shapes a pod, under {@code gatemesh.server.injection}; the Helm chart sets these
 * from its values, {@code meshctl inject} from its options, and pod annotations override some per pod.
 *
 * @param sidecarImage the mesh-sidecar app's image
 * @param initImage    the image of the init container that installs the iptables redirect (has iptables and sh)
 * @param redirect     how the app's outbound HTTP reaches the sidecar: {@code iptables} or {@code http-proxy}
 * @param proxyUid     the sidecar's user (and group) id; the iptables rules exempt it, so its own calls leave the pod
 * @param resources    the sidecar's requests and limits ({@code requests.cpu}, {@code limits.memory}, ...)
 * @param controlPlane the URL the sidecar dials; when unset {@code https://gatemesh-config-server.<rootNamespace>.svc:15012}
 * @param imagePullPolicy the pull policy of the injected containers; Kubernetes' default when unset
 */
@ConfigurationProperties("gatemesh.server.injection")
public record InjectionProperties(
        @DefaultValue("gatemesh/mesh-sidecar:0.1.0") String sidecarImage,
        @DefaultValue("gatemesh/proxy-init:0.1.0") String initImage,
        @DefaultValue("iptables") String redirect,
        @DefaultValue("1337") long proxyUid,
        @DefaultValue Resources resources,
        URI controlPlane,
        String imagePullPolicy) {

    /** Quantities as Kubernetes writes them ({@code 100m}, {@code 256Mi}); an absent key sets nothing. */
    public record Resources(Map<String, String> requests, Map<String, String> limits) {
        public Resources {
            requests = requests == null ? Map.of("cpu", "100m", "memory", "256Mi") : Map.copyOf(requests);
            limits = limits == null ? Map.of("memory", "512Mi") : Map.copyOf(limits);
        }
    }
}
