package dev.gatemesh.api.model;

import java.util.Map;

/** Istio's PeerAuthentication: whether a workload's inbound traffic must be mutual TLS. */
public record PeerAuthentication(WorkloadSelector selector, MutualTls mtls, Map<Integer, MutualTls> portLevelMtls) {

    public PeerAuthentication {
        portLevelMtls = Immutable.map(portLevelMtls);
    }

    public record MutualTls(Mode mode) {
    }

    public enum Mode { UNSET, DISABLE, PERMISSIVE, STRICT }
}
