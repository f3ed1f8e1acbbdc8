package dev.gatemesh.proxy.route;

import java.util.Map;

/**
 * One destination of a route with its weight. When the destination names no port, the cluster is the
 * one of the port the request was addressed to ({@code byPort} holds one per service port).
 */
public record WeightedCluster(Map<Integer, Cluster> byPort, Integer fixedPort, int weight, HeaderOps requestHeaders,
                              HeaderOps responseHeaders) {

    public WeightedCluster {
        byPort = Map.copyOf(byPort);
    }

    /** The cluster for a request on {@code requestPort}; null when the service has no such port. */
    public Cluster clusterFor(int requestPort) {
        if (fixedPort != null) {
            return byPort.get(fixedPort);
        }
        Cluster cluster = byPort.get(requestPort);
        if (cluster == null && byPort.size() == 1) {
            return byPort.values().iterator().next();
        }
        return cluster;
    }
}
