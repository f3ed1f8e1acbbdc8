package dev.gatemesh.api.registry;

import dev.gatemesh.api.model.Immutable;
import java.util.Map;

/**
 * One instance of a service: where it listens and who it is.
 *
 * @param address        IP address or host name
 * @param ports          service port name to the instance's port (when absent, the service port's target port)
 * @param labels         the workload's labels (subsets select on them)
 * @param namespace      the workload's namespace
 * @param serviceAccount the workload's service account (its mesh identity)
 * @param sidecarPort    the port of the instance's sidecar inbound listener, or null when it has no sidecar
 * @param healthy        false when the source reports the instance not ready
 */
public record ServiceEndpoint(String address, Map<String, Integer> ports, Map<String, String> labels, String namespace,
                              String serviceAccount, Integer sidecarPort, Boolean healthy) {

    /** The address of an instance that is wherever the request's host name says (resolution NONE without endpoints). */
    public static final String ORIGINAL_DESTINATION = "*";

    public ServiceEndpoint {
        ports = Immutable.map(ports);
        labels = Immutable.map(labels);
    }

    /** The SPIFFE identity of the instance in the given trust domain. */
    public String spiffeId(String trustDomain) {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + (serviceAccount == null ? "default" : serviceAccount);
    }

    public boolean isHealthy() {
        return !Boolean.FALSE.equals(healthy);
    }
}
