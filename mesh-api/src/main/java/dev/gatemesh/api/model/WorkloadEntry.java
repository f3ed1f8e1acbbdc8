package dev.gatemesh.api.model;

import java.util.Map;

/**
 * Istio's WorkloadEntry: one workload outside Kubernetes (in local mode, an app on this machine).
 * Also the shape of a ServiceEntry's {@code endpoints}.
 */
@IstioFields(unsupported = {"network", "locality", "weight"})
public record WorkloadEntry(String address, Map<String, Integer> ports, Map<String, String> labels,
                            String serviceAccount) {

    /** Local mode: the port of this workload's sidecar inbound listener (annotation on the WorkloadEntry). */
    public static final String INBOUND_PORT_ANNOTATION = "sidecar.gatemesh.dev/inboundPort";
    /** Local mode: the port of this workload's sidecar outbound listener (annotation on the WorkloadEntry). */
    public static final String OUTBOUND_PORT_ANNOTATION = "sidecar.gatemesh.dev/outboundPort";

    public WorkloadEntry {
        ports = Immutable.map(ports);
        labels = Immutable.map(labels);
    }
}
