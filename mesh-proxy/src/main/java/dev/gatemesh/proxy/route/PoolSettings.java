package dev.gatemesh.proxy.route;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cluster's DestinationRule {@code connectionPool}, as Envoy's circuit breakers and connection settings apply it.
 * An unset limit is unlimited (Istio sets Envoy's to 2^32-1), except the pending queue: when connections are limited
 * and {@code http1MaxPendingRequests} is unset, at most {@link #DEFAULT_MAX_PENDING} requests wait, so that the queue is
 * never unbounded.
 *
 * @param maxConnections           {@code tcp.maxConnections}: upstream connections to the whole cluster; with HTTP/1.1 one
 *                                 request per connection, so also the requests in flight
 * @param maxPendingRequests       {@code http.http1MaxPendingRequests}: requests that may wait for a free connection
 * @param maxRequests              {@code http.http2MaxRequests}: requests in flight to the cluster
 * @param maxRequestsPerConnection {@code http.maxRequestsPerConnection}: a connection closes after this many (1: no keep-alive)
 * @param maxRetries               {@code http.maxRetries}: retries in flight to the cluster
 * @param connectTimeout           {@code tcp.connectTimeout}
 * @param idleTimeout              {@code http.idleTimeout}, else {@code tcp.idleTimeout}: an unused pooled connection closes after it
 */
public record PoolSettings(int maxConnections, int maxPendingRequests, int maxRequests, int maxRequestsPerConnection,
                           int maxRetries, Duration connectTimeout, Duration idleTimeout) {

    public static final int UNLIMITED = Integer.MAX_VALUE;
    public static final int DEFAULT_MAX_PENDING = 1024;
    /** Istio's default {@code tcp.connectTimeout}. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Istio's default idle timeout of upstream connections. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

    /** No DestinationRule connection pool: no limits, Istio's timeouts. */
    public static final PoolSettings NONE = new PoolSettings(UNLIMITED, UNLIMITED, UNLIMITED, 0, UNLIMITED,
            DEFAULT_CONNECT_TIMEOUT, DEFAULT_IDLE_TIMEOUT);

    public PoolSettings {
        if (maxConnections < 1 || maxPendingRequests < 0 || maxRequests < 1 || maxRequestsPerConnection < 0 || maxRetries < 0) {
            throw new IllegalArgumentException("connection pool limits must be positive");
        }
    }

    /** Whether requests are admitted at all: any limit on requests in flight. */
    public boolean limitsRequests() {
        return maxConnections != UNLIMITED || maxRequests != UNLIMITED;
    }

    /** The set fields, for the route table dump (empty map for {@link #NONE}). */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "maxConnections", maxConnections);
        if (maxConnections != UNLIMITED || maxPendingRequests != UNLIMITED) {
            put(out, "http1MaxPendingRequests", maxPendingRequests);
        }
        put(out, "http2MaxRequests", maxRequests);
        if (maxRequestsPerConnection > 0) {
            out.put("maxRequestsPerConnection", maxRequestsPerConnection);
        }
        put(out, "maxRetries", maxRetries);
        if (!connectTimeout.equals(DEFAULT_CONNECT_TIMEOUT)) {
            out.put("connectTimeout", dev.gatemesh.api.model.IstioDuration.of(connectTimeout).text());
        }
        if (!idleTimeout.equals(DEFAULT_IDLE_TIMEOUT)) {
            out.put("idleTimeout", dev.gatemesh.api.model.IstioDuration.of(idleTimeout).text());
        }
        return out;
    }

    private static void put(Map<String, Object> out, String key, int value) {
        if (value != UNLIMITED) {
            out.put(key, value);
        }
    }
}
