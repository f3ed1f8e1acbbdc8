package dev.gatemesh.proxy.route;

import java.util.Map;

/**
 * One instance a cluster can send to.
 *
 * @param appPort     the instance's application port for the cluster's service port
 * @param sidecarPort the port of the instance's sidecar inbound listener, or null when it has none
 * @param identity    the SPIFFE ID the instance presents (from its namespace and service account)
 */
public record Endpoint(String address, int appPort, Integer sidecarPort, String identity, Map<String, String> labels,
                       boolean healthy) {

    public Endpoint {
        labels = Map.copyOf(labels);
    }

    public boolean hasSidecar() {
        return sidecarPort != null;
    }
}
