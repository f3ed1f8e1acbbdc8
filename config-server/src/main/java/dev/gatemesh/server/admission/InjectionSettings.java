package dev.gatemesh.server.admission;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Everything the injector needs besides the pod, resolved once (from the config server's properties, or from
 * {@code meshctl inject}'s options).
 *
 * @param sidecarImage    the mesh-sidecar image
 * @param initImage       the iptables init container's image
 * @param redirect        the redirect mode for pods that do not choose one
 * @param proxyUid        the sidecar's uid and gid (exempt from the redirect)
 * @param requests        the sidecar's resource requests ({@code cpu}, {@code memory})
 * @param limits          the sidecar's resource limits
 * @param controlPlane    the config server's mesh port as the sidecar dials it
 * @param imagePullPolicy the injected containers' pull policy, or null for Kubernetes' default
 * @param excludedOutboundPorts destination ports the iptables redirect leaves alone in every pod
 * @param pathNormalization how the sidecars normalize request paths (one of {@link #PATH_NORMALIZATIONS})
 */
public record InjectionSettings(String sidecarImage, String initImage, RedirectMode redirect, long proxyUid,
                                Map<String, String> requests, Map<String, String> limits, URI controlPlane,
                                String trustDomain, String rootNamespace, String domainSuffix, String imagePullPolicy,
                                List<Integer> excludedOutboundPorts, String pathNormalization) {

    /** Istio's {@code meshConfig.pathNormalization} options, as the sidecar reads them. */
    public static final List<String> PATH_NORMALIZATIONS = List.of("NONE", "BASE", "MERGE_SLASHES", "DECODE_AND_MERGE_SLASHES");

    /** Istio's numbers (see DESIGN.md "Data plane"). */
    public static final int OUTBOUND_PORT = 15001;
    public static final int INBOUND_PORT = 15006;
    /** The sidecar's probe-only listener on the pod's address (Istio's health port). */
    public static final int PROBE_PORT = 15021;

    public InjectionSettings {
        requests = Map.copyOf(requests);
        limits = Map.copyOf(limits);
        excludedOutboundPorts = List.copyOf(excludedOutboundPorts);
        if (!PATH_NORMALIZATIONS.contains(pathNormalization)) {
            throw new IllegalArgumentException("path-normalization: \"" + pathNormalization + "\" is not an option; expected one of "
                    + String.join(", ", PATH_NORMALIZATIONS));
        }
        checkQuantities("requests", requests);
        checkQuantities("limits", limits);
        for (int port : excludedOutboundPorts) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("exclude-outbound-ports: " + port + " is not a port; expected 1 to 65535");
            }
        }
    }

    private static void checkQuantities(String what, Map<String, String> values) {
        values.forEach((name, value) -> {
            if (!PodOverrides.isQuantity(value)) {
                throw new IllegalArgumentException("resources." + what + "." + name + ": \"" + value
                        + "\" is not a quantity; expected e.g. " + ("cpu".equals(name) ? "100m or 0.5" : "128Mi or 1Gi"));
            }
        });
    }

    /** The config server's Service in the root namespace, as the Helm chart names it. */
    public static URI defaultControlPlane(String rootNamespace) {
        return URI.create("https://" + dev.gatemesh.ca.identity.ControlPlaneIdentity.SERVICE_ACCOUNT + "." + rootNamespace
                + ".svc:15012");
    }

    /** @throws IllegalArgumentException when the redirect mode or a port is not one Gatemesh can use */
    public static InjectionSettings of(InjectionProperties injection, String trustDomain, String rootNamespace,
                                       String domainSuffix) {
        RedirectMode redirect;
        try {
            redirect = RedirectMode.parse(injection.redirect());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("redirect: " + e.getMessage(), e);
        }
        return new InjectionSettings(injection.sidecarImage(), injection.initImage(), redirect,
                injection.proxyUid(), injection.resources().requests(), injection.resources().limits(),
                injection.controlPlane() != null ? injection.controlPlane() : defaultControlPlane(rootNamespace),
                trustDomain, rootNamespace, domainSuffix, blankToNull(injection.imagePullPolicy()),
                injection.excludeOutboundPorts(), injection.pathNormalization());
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
