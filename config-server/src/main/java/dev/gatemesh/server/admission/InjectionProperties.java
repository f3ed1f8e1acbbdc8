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
 * @param excludeOutboundPorts destination ports the iptables redirect leaves alone in every pod (the sidecar's
 *                     outbound listener speaks HTTP only: 443 by default, so TLS, e.g. to the Kubernetes API, goes out
 *                     directly); a pod's {@code sidecar.gatemesh.dev/excludeOutboundPorts} adds to them
 * @param pathNormalization how injected sidecars normalize request paths (Istio's {@code meshConfig.pathNormalization}):
 *                     NONE, BASE (default), MERGE_SLASHES or DECODE_AND_MERGE_SLASHES; the chart sets it from
 *                     {@code mesh.pathNormalization}, as it does for the gateways
 */
@ConfigurationProperties("gatemesh.server.injection")
public record InjectionProperties(
        @DefaultValue(DEFAULT_SIDECAR_IMAGE) String sidecarImage,
        @DefaultValue(DEFAULT_INIT_IMAGE) String initImage,
        @DefaultValue(DEFAULT_REDIRECT) String redirect,
        @DefaultValue(DEFAULT_PROXY_UID) long proxyUid,
        @DefaultValue Resources resources,
        URI controlPlane,
        String imagePullPolicy,
        @DefaultValue(DEFAULT_EXCLUDE_OUTBOUND_PORTS) java.util.List<Integer> excludeOutboundPorts,
        @DefaultValue(DEFAULT_PATH_NORMALIZATION) String pathNormalization) {

    /** The defaults, shared with {@code meshctl inject}'s options and the Helm chart's values. */
    public static final String DEFAULT_SIDECAR_IMAGE = "gatemesh/mesh-sidecar:0.1.0";
    public static final String DEFAULT_INIT_IMAGE = "gatemesh/proxy-init:0.1.0";
    public static final String DEFAULT_REDIRECT = "iptables";
    public static final String DEFAULT_PROXY_UID = "1337";
    public static final String DEFAULT_CPU_REQUEST = "100m";
    public static final String DEFAULT_MEMORY_REQUEST = "256Mi";
    public static final String DEFAULT_MEMORY_LIMIT = "512Mi";
    public static final String DEFAULT_EXCLUDE_OUTBOUND_PORTS = "443";
    public static final String DEFAULT_PATH_NORMALIZATION = "BASE";

    /** Quantities as Kubernetes writes them ({@code 100m}, {@code 256Mi}); an absent key sets nothing. */
    public record Resources(Map<String, String> requests, Map<String, String> limits) {
        public Resources {
            requests = requests == null ? Map.of("cpu", DEFAULT_CPU_REQUEST, "memory", DEFAULT_MEMORY_REQUEST)
                    : Map.copyOf(requests);
            limits = limits == null ? Map.of("memory", DEFAULT_MEMORY_LIMIT) : Map.copyOf(limits);
        }
    }
}
