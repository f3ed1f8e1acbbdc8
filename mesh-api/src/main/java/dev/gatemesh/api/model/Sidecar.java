package dev.gatemesh.api.model;

import java.util.List;

/**
 * Istio's Sidecar: what a workload's sidecar may reach. {@code egress[].hosts} ({@code namespace/host}) narrows the
 * services it sees; {@code outboundTrafficPolicy.mode} says whether hosts outside the registry pass through
 * ({@code ALLOW_ANY}) or are refused ({@code REGISTRY_ONLY}). One with a {@code workloadSelector} applies to the
 * workloads it selects in its namespace; one without, to its namespace; one without in the root namespace, to the
 * whole mesh.
 */
@IstioFields(unsupported = {"ingress", "inboundConnectionPool"})
public record Sidecar(ServiceEntry.Selector workloadSelector, List<EgressListener> egress,
                      OutboundTrafficPolicy outboundTrafficPolicy) {

    public Sidecar {
        egress = Immutable.list(egress);
    }

    /** An egress listener: the hosts its workloads may reach, as {@code namespace/dnsName}. */
    @IstioFields(unsupported = {"port", "bind", "captureMode"})
    public record EgressListener(List<String> hosts) {
        public EgressListener {
            hosts = Immutable.list(hosts);
        }
    }

    @IstioFields(unsupported = {"egressProxy"})
    public record OutboundTrafficPolicy(Mode mode) {
    }

    /** Istio's {@code OutboundTrafficPolicy.Mode}. */
    public enum Mode { REGISTRY_ONLY, ALLOW_ANY }
}
