package dev.gatemesh.proxy.inbound;

import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.PeerAuthentication;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.snapshot.ProxySnapshot;
import java.util.List;
import java.util.Map;

/**
 * The mutual-TLS mode of a workload's inbound port, by Istio's precedence: the workload's own policy
 * (a selector that matches it; {@code portLevelMtls} first), then its namespace's, then the mesh's (root
 * namespace), each UNSET mode inheriting from the next; PERMISSIVE when nothing says otherwise.
 *
 * @param origin which policy decided the default mode, for logs ({@code default} when none)
 */
public record PeerAuthenticationPolicy(PeerAuthentication.Mode workloadMode, Map<Integer, PeerAuthentication.Mode> portModes,
                                       PeerAuthentication.Mode inheritedMode, String origin) {

    public static final PeerAuthenticationPolicy DEFAULT = new PeerAuthenticationPolicy(PeerAuthentication.Mode.UNSET,
            Map.of(), PeerAuthentication.Mode.PERMISSIVE, "default");

    public PeerAuthenticationPolicy {
        portModes = Map.copyOf(portModes);
    }

    /** STRICT, PERMISSIVE or DISABLE for a request to this application port. */
    public PeerAuthentication.Mode modeFor(int appPort) {
        PeerAuthentication.Mode port = portModes.get(appPort);
        if (port != null && port != PeerAuthentication.Mode.UNSET) {
            return port;
        }
        return workloadMode != PeerAuthentication.Mode.UNSET ? workloadMode : inheritedMode;
    }

    public static PeerAuthenticationPolicy of(ProxySnapshot snapshot, String namespace, String rootNamespace) {
        List<Resource<PeerAuthentication>> policies = snapshot.ofKind(Kind.PEER_AUTHENTICATION);
        Resource<PeerAuthentication> workload = null;
        Resource<PeerAuthentication> namespaceWide = null;
        Resource<PeerAuthentication> meshWide = null;
        for (Resource<PeerAuthentication> policy : policies) {
            boolean selects = policy.spec().selector() != null && !policy.spec().selector().matchLabels().isEmpty();
            if (selects && policy.namespace().equals(namespace)) {
                workload = workload == null ? policy : workload;
            } else if (!selects && policy.namespace().equals(namespace) && !namespace.equals(rootNamespace)) {
                namespaceWide = namespaceWide == null ? policy : namespaceWide;
            } else if (!selects && policy.namespace().equals(rootNamespace)) {
                meshWide = meshWide == null ? policy : meshWide;
            }
        }
        PeerAuthentication.Mode inherited = PeerAuthentication.Mode.PERMISSIVE;
        String origin = "default";
        for (Resource<PeerAuthentication> level : new java.util.ArrayList<>(java.util.Arrays.asList(meshWide, namespaceWide))) {
            PeerAuthentication.Mode mode = modeOf(level);
            if (mode != PeerAuthentication.Mode.UNSET) {
                inherited = mode;
                origin = "PeerAuthentication " + level.namespace() + "/" + level.name();
            }
        }
        PeerAuthentication.Mode own = modeOf(workload);
        Map<Integer, PeerAuthentication.Mode> ports = new java.util.HashMap<>();
        if (workload != null) {
            workload.spec().portLevelMtls().forEach((port, tls) -> ports.put(port, tls == null || tls.mode() == null
                    ? PeerAuthentication.Mode.UNSET : tls.mode()));
            if (own != PeerAuthentication.Mode.UNSET) {
                origin = "PeerAuthentication " + workload.namespace() + "/" + workload.name();
            }
        }
        return new PeerAuthenticationPolicy(own, ports, inherited, origin);
    }

    private static PeerAuthentication.Mode modeOf(Resource<PeerAuthentication> policy) {
        if (policy == null || policy.spec().mtls() == null || policy.spec().mtls().mode() == null) {
            return PeerAuthentication.Mode.UNSET;
        }
        return policy.spec().mtls().mode();
    }
}
