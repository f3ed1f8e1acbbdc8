package dev.gatemesh.proxy.telemetry;

import dev.gatemesh.api.snapshot.ProxyNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Istio's standard request metrics ({@code istio_requests_total}, {@code istio_request_duration_milliseconds},
 * with {@code reporter} {@code source} on the outbound side and {@code destination} on the inbound side)
 * and one access-log line per request on the {@code gatemesh.access} logger.
 */
public final class RequestTelemetry {

    private static final Logger access = LoggerFactory.getLogger("gatemesh.access");

    /** One finished request as a sidecar saw it; {@code null} labels are recorded as {@code unknown}. */
    public record Request(String reporter, String method, String authority, String path, int status, long durationNanos,
                          String sourceWorkload, String sourceNamespace, String sourcePrincipal, String destinationService,
                          String destinationWorkload, String destinationNamespace, String destinationPrincipal,
                          String upstream, boolean mutualTls, String detail) {
    }

    private final MeterRegistry registry;

    public RequestTelemetry(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The workload name of a proxy (its {@code app} label, else its id), as Istio labels it. */
    public static String workloadOf(ProxyNode node) {
        return node.labels().getOrDefault("app", node.id());
    }

    public void record(Request request) {
        Tags tags = Tags.of(
                "reporter", request.reporter(),
                "source_workload", value(request.sourceWorkload()),
                "source_workload_namespace", value(request.sourceNamespace()),
                "source_principal", value(request.sourcePrincipal()),
                "destination_service", value(request.destinationService()),
                "destination_workload", value(request.destinationWorkload()),
                "destination_workload_namespace", value(request.destinationNamespace()),
                "destination_principal", value(request.destinationPrincipal()),
                "request_protocol", "http",
                "response_code", String.valueOf(request.status()),
                "connection_security_policy", request.mutualTls() ? "mutual_tls" : "none");
        Counter.builder("istio_requests_total").tags(tags).register(registry).increment();
        DistributionSummary.builder("istio_request_duration_milliseconds").baseUnit("milliseconds").tags(tags)
                .register(registry).record(request.durationNanos() / 1e6);
        if (access.isInfoEnabled()) {
            access.info("[{}] \"{} {}{}\" {} {}ms upstream={} source={} destination={}{}", request.reporter(), request.method(),
                    request.authority(), request.path(), request.status(), request.durationNanos() / 1_000_000,
                    value(request.upstream()), value(request.sourcePrincipal()), value(request.destinationService()),
                    request.detail() == null ? "" : " \"" + request.detail() + "\"");
        }
    }

    private static String value(String label) {
        return label == null || label.isEmpty() ? "unknown" : label;
    }
}
