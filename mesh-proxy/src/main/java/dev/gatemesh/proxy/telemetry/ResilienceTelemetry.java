package dev.gatemesh.proxy.telemetry;

import dev.gatemesh.proxy.outlier.OutlierEjections;
import dev.gatemesh.proxy.pool.ClusterLimits;
import dev.gatemesh.proxy.route.Cluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToIntFunction;

/**
 * Circuit breaking and outlier detection as metrics: {@code gatemesh.overflows} ({@code gatemesh_overflows_total}) by
 * {@code destination_service}, {@code reporter} and {@code limit} (the DestinationRule field whose limit refused a
 * request: {@code maxConnections}, {@code http1MaxPendingRequests}, {@code http2MaxRequests}, {@code maxRetries});
 * {@code gatemesh.outlier.ejections} ({@code gatemesh_outlier_ejections_total}) by {@code destination_service} and
 * {@code endpoint}; and the gauge {@code gatemesh.outlier.ejected} of endpoints ejected now, by
 * {@code destination_service} and {@code cluster}.
 */
public final class ResilienceTelemetry implements ClusterLimits.OverflowListener, OutlierEjections.Listener {

    private final MeterRegistry registry;
    private final String reporter;
    private ToIntFunction<String> ejectedNow = cluster -> 0;

    public ResilienceTelemetry(MeterRegistry registry, String reporter) {
        this.registry = registry;
        this.reporter = reporter;
    }

    /** Where the ejected-endpoints gauge reads its value, by cluster name. */
    public ResilienceTelemetry ejectedFrom(ToIntFunction<String> ejectedNow) {
        this.ejectedNow = ejectedNow;
        return this;
    }

    @Override
    public void overflowed(ClusterLimits limits, ClusterLimits.Limit limit) {
        Counter.builder("gatemesh.overflows")
                .description("Requests refused by a DestinationRule connection pool limit (circuit breaking)")
                .tags("destination_service", limits.host(), "reporter", reporter, "limit", limit.field())
                .register(registry).increment();
    }

    @Override
    public void ejected(Cluster cluster, String endpoint) {
        Counter.builder("gatemesh.outlier.ejections")
                .description("Endpoints ejected from load balancing by outlier detection")
                .tags("destination_service", cluster.host(), "endpoint", endpoint)
                .register(registry).increment();
    }

    @Override
    public void detecting(String clusterName, String host) {
        Gauge.builder("gatemesh.outlier.ejected", () -> ejectedNow.applyAsInt(clusterName))
                .description("Endpoints of the cluster ejected by outlier detection now")
                .tags("destination_service", host, "cluster", clusterName)
                .register(registry);
    }
}
