package dev.gatemesh.proxy.route;

import java.util.List;
import java.util.Set;

/**
 * Where traffic for one service port (and subset) goes: named as Envoy and Istio name it,
 * {@code outbound|<port>|<subset>|<host>}.
 *
 * @param tls                how to reach the endpoints' sidecars
 * @param expectedIdentities the SPIFFE IDs the cluster's endpoints may present
 * @param pool               the DestinationRule's connection pool (circuit breakers), {@link PoolSettings#NONE} when unset
 * @param outlier            the DestinationRule's outlier detection, or null when unset
 * @param clientTls          the DestinationRule's TLS settings beyond the mode (origination, SNI), or null when unset
 */
public record Cluster(String name, String host, int port, String subset, List<Endpoint> endpoints, LoadBalancing loadBalancing,
                      PeerTls tls, Set<String> expectedIdentities, PoolSettings pool, OutlierSettings outlier,
                      ClientTls clientTls) {

    public Cluster {
        endpoints = List.copyOf(endpoints);
        expectedIdentities = Set.copyOf(expectedIdentities);
        pool = pool == null ? PoolSettings.NONE : pool;
    }

    /** A cluster without TLS settings beyond the mode. */
    public Cluster(String name, String host, int port, String subset, List<Endpoint> endpoints, LoadBalancing loadBalancing,
                   PeerTls tls, Set<String> expectedIdentities, PoolSettings pool, OutlierSettings outlier) {
        this(name, host, port, subset, endpoints, loadBalancing, tls, expectedIdentities, pool, outlier, null);
    }

    /** Whether the cluster originates TLS to servers outside the mesh (DestinationRule SIMPLE or MUTUAL). */
    public boolean originatesTls() {
        return clientTls != null && clientTls.originates();
    }

    /** A cluster without connection pool limits or outlier detection. */
    public Cluster(String name, String host, int port, String subset, List<Endpoint> endpoints, LoadBalancing loadBalancing,
                   PeerTls tls, Set<String> expectedIdentities) {
        this(name, host, port, subset, endpoints, loadBalancing, tls, expectedIdentities, PoolSettings.NONE, null);
    }

    /** The DestinationRule's TLS mode towards the peer; AUTO is Istio's auto mTLS (mutual TLS to sidecars). */
    public enum PeerTls { AUTO, ISTIO_MUTUAL, DISABLE, SIMPLE, MUTUAL }

    public static String name(int port, String subset, String host) {
        return "outbound|" + port + "|" + (subset == null ? "" : subset) + "|" + host;
    }
}
