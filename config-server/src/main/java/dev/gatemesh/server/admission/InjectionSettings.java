package dev.gatemesh.server.admission;

import java.net.URI;
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
 */
public record InjectionSettings(String sidecarImage, String initImage, RedirectMode redirect, long proxyUid,
                                Map<String, String> requests, Map<String, String> limits, URI controlPlane,
                                String trustDomain, String rootNamespace, String domainSuffix, String imagePullPolicy) {

    /** Istio's numbers (see DESIGN.md "Data plane"). */
    public static final int OUTBOUND_PORT = 15001;
    public static final int INBOUND_PORT = 15006;
    public static final int MANAGEMENT_PORT = 15020;

    public InjectionSettings {
        requests = Map.copyOf(requests);
        limits = Map.copyOf(limits);
    }

    /** The config server's Service in the root namespace, as the Helm chart names it. */
    public static URI defaultControlPlane(String rootNamespace) {
        return URI.create("https://" + dev.gatemesh.ca.identity.ControlPlaneIdentity.SERVICE_ACCOUNT + "." + rootNamespace
                + ".svc:15012");
    }

    /** @throws IllegalArgumentException when the redirect mode is not one Gatemesh knows */
    public static InjectionSettings of(InjectionProperties injection, String trustDomain, String rootNamespace,
                                       String domainSuffix) {
        return new InjectionSettings(injection.sidecarImage(), injection.initImage(), RedirectMode.parse(injection.redirect()),
                injection.proxyUid(), injection.resources().requests(), injection.resources().limits(),
                injection.controlPlane() != null ? injection.controlPlane() : defaultControlPlane(rootNamespace),
                trustDomain, rootNamespace, domainSuffix, blankToNull(injection.imagePullPolicy()));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
