package dev.gatemesh.proxy.route;

import java.util.List;
import java.util.Set;

/**
 * Where traffic for one service port (and subset) goes: named as Envoy and Istio name it,
 * {@code outbound|<port>|<subset>|<host>}.
 *
 * @param tls                how to reach the endpoints' sidecars
 * @param expectedIdentities the SPIFFE IDs the cluster's endpoints may present
 */
public record Cluster(String name, String host, int port, String subset, List<Endpoint> endpoints, LoadBalancing loadBalancing,
                      PeerTls tls, Set<String> expectedIdentities) {

    public Cluster {
        endpoints = List.copyOf(endpoints);
        expectedIdentities = Set.copyOf(expectedIdentities);
    }

    /** The DestinationRule's TLS mode towards the peer; AUTO is Istio's auto mTLS (mutual TLS to sidecars). */
    public enum PeerTls { AUTO, ISTIO_MUTUAL, DISABLE, SIMPLE, MUTUAL }

    public static String name(int port, String subset, String host) {
        return "outbound|" + port + "|" + (subset == null ? "" : subset) + "|" + host;
    }
}
