package dev.gatemesh.proxy.route;

import dev.gatemesh.api.model.DestinationRule;
import dev.gatemesh.api.model.IstioDuration;
import java.time.Duration;

/** DestinationRule {@code connectionPool} -> {@link PoolSettings}: a pure function, Istio's defaults for what is unset. */
public final class PoolSettingsTranslator {

    private PoolSettingsTranslator() {
    }

    public static PoolSettings translate(DestinationRule.ConnectionPoolSettings pool) {
        if (pool == null) {
            return PoolSettings.NONE;
        }
        DestinationRule.ConnectionPoolSettings.Tcp tcp = pool.tcp();
        DestinationRule.ConnectionPoolSettings.Http http = pool.http();
        int maxConnections = limit(tcp == null ? null : tcp.maxConnections());
        Integer pending = http == null ? null : http.http1MaxPendingRequests();
        int maxPending = pending != null ? limit(pending)
                : maxConnections == PoolSettings.UNLIMITED ? PoolSettings.UNLIMITED : PoolSettings.DEFAULT_MAX_PENDING;
        Duration idle = duration(http == null ? null : http.idleTimeout(), null);
        if (idle == null) {
            idle = duration(tcp == null ? null : tcp.idleTimeout(), PoolSettings.DEFAULT_IDLE_TIMEOUT);
        }
        return new PoolSettings(maxConnections, maxPending, limit(http == null ? null : http.http2MaxRequests()),
                http == null || http.maxRequestsPerConnection() == null ? 0 : Math.max(0, http.maxRequestsPerConnection()),
                limit(http == null ? null : http.maxRetries()),
                duration(tcp == null ? null : tcp.connectTimeout(), PoolSettings.DEFAULT_CONNECT_TIMEOUT), idle);
    }

    /** Unset or 0 is unlimited, as in Istio. */
    private static int limit(Integer value) {
        return value == null || value <= 0 ? PoolSettings.UNLIMITED : value;
    }

    private static Duration duration(IstioDuration value, Duration otherwise) {
        return value == null || value.value().isZero() ? otherwise : value.value();
    }
}
