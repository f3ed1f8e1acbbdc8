package dev.gatemesh.proxy.route;

import java.util.Map;

/**
 * A route's traffic mirror (Istio's {@code mirror} and {@code mirrorPercentage}), as validated plain data: a share of
 * the requests the route matches is copied, fire and forget, to the mirror service. Like a route destination, the
 * cluster is the one of the destination's port, else of the port the request was addressed to. The proxy carries it
 * out with {@link dev.gatemesh.proxy.mirror.RequestMirror}.
 *
 * @param host       the mirror service's full host name (empty {@code byPort} when it is not in the registry)
 * @param percentage the share of requests mirrored, 0..100
 */
public record Mirror(String host, Map<Integer, Cluster> byPort, Integer fixedPort, double percentage) {

    public Mirror {
        byPort = Map.copyOf(byPort);
    }

    /** The cluster for a request on {@code requestPort}; null when the service has no such port. */
    public Cluster clusterFor(int requestPort) {
        return new WeightedCluster(byPort, fixedPort, 100, HeaderOps.NONE, HeaderOps.NONE).clusterFor(requestPort);
    }

    /** The mirror with its port pinned to the service's only port (a gateway's request port is not the service's). */
    Mirror onOnlyPort() {
        return fixedPort == null && byPort.size() == 1
                ? new Mirror(host, byPort, byPort.keySet().iterator().next(), percentage) : this;
    }
}
