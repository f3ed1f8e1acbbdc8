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
 * and one access-log line per request on the {@code gatemesh.access} logger; injected faults are counted in
 * {@code gatemesh.faults.injected} ({@code gatemesh_faults_injected_total}), by {@code kind}, {@code destination_service}
 * and {@code reporter}.
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

    /** Where the proxy's other meters (retries, timeouts) are registered. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The workload name of a proxy (its {@code app} label, else its id), as Istio labels it. */
    public static String workloadOf(ProxyNode node) {
        return node.labels().getOrDefault("app", node.id());
    }

    /** The labels of one time series: a request's meters are looked up by these, not rebuilt per request. */
    private record Series(String reporter, String sourceWorkload, String sourceNamespace, String sourcePrincipal,
                          String destinationService, String destinationWorkload, String destinationNamespace,
                          String destinationPrincipal, int status, boolean mutualTls) {
    }

    private record Meters(Counter requests, DistributionSummary duration) {
    }

    private final java.util.concurrent.ConcurrentMap<Series, Meters> meters = new java.util.concurrent.ConcurrentHashMap<>();

    /** The kinds of fault a VirtualService injects. */
    public enum FaultKind {
        DELAY, ABORT;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private record FaultSeries(String reporter, FaultKind kind, String destinationService) {
    }

    private final java.util.concurrent.ConcurrentMap<FaultSeries, Counter> faults = new java.util.concurrent.ConcurrentHashMap<>();

    /** Counts one fault injected into a request for {@code destinationService}. */
    public void faultInjected(String reporter, FaultKind kind, String destinationService) {
        faults.computeIfAbsent(new FaultSeries(reporter, kind, destinationService), series -> Counter
                .builder("gatemesh.faults.injected")
                .description("Requests delayed or aborted by a VirtualService's fault injection")
                .tags("kind", series.kind().tag(), "destination_service", value(series.destinationService()),
                        "reporter", series.reporter())
                .register(registry)).increment();
    }

    public void record(Request request) {
        Series series = new Series(request.reporter(), request.sourceWorkload(), request.sourceNamespace(),
                request.sourcePrincipal(), request.destinationService(), request.destinationWorkload(),
                request.destinationNamespace(), request.destinationPrincipal(), request.status(), request.mutualTls());
        Meters recorded = meters.get(series);
        if (recorded == null) {
            recorded = meters.computeIfAbsent(series, this::register);
        }
        recorded.requests().increment();
        recorded.duration().record(request.durationNanos() / 1e6);
        if (access.isInfoEnabled()) {
            access.info("[{}] \"{} {}{}\" {} {}ms upstream={} source={} destination={}{}", request.reporter(), request.method(),
                    request.authority(), request.path(), request.status(), request.durationNanos() / 1_000_000,
                    value(request.upstream()), value(request.sourcePrincipal()), value(request.destinationService()),
                    request.detail() == null ? "" : " \"" + request.detail() + "\"");
        }
    }

    private Meters register(Series series) {
        Tags tags = Tags.of(
                "reporter", series.reporter(),
                "source_workload", value(series.sourceWorkload()),
                "source_workload_namespace", value(series.sourceNamespace()),
                "source_principal", value(series.sourcePrincipal()),
                "destination_service", value(series.destinationService()),
                "destination_workload", value(series.destinationWorkload()),
                "destination_workload_namespace", value(series.destinationNamespace()),
                "destination_principal", value(series.destinationPrincipal()),
                "request_protocol", "http",
                "response_code", String.valueOf(series.status()),
                "connection_security_policy", series.mutualTls() ? "mutual_tls" : "none");
        return new Meters(Counter.builder("istio_requests_total").tags(tags).register(registry),
                DistributionSummary.builder("istio_request_duration_milliseconds").baseUnit("milliseconds").tags(tags)
                        .register(registry));
    }

    private static String value(String label) {
        return label == null || label.isEmpty() ? "unknown" : label;
    }
}
