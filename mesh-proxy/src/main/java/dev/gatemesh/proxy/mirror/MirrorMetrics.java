package dev.gatemesh.proxy.mirror;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts mirrored requests in {@code gatemesh.mirror.requests} ({@code gatemesh_mirror_requests_total}), by
 * {@code destination_service} (the mirror's host), {@code reporter} and {@code result}. The copies are not counted in
 * {@code istio_requests_total} by the proxy that sends them: the caller's request is counted once, as Envoy does;
 * the mirror's own sidecar reports what it receives (with the {@code -shadow} Host).
 */
public final class MirrorMetrics {

    /** What became of a request drawn for mirroring. */
    public enum Result {
        /** The mirror answered (any status below 500). */
        SENT,
        /** The mirror answered 5xx, could not be reached, had no healthy endpoint, or timed out. */
        FAILED,
        /** Not copied: a body that cannot be replayed without delaying the caller, or too many copies in flight. */
        SKIPPED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private record Series(String reporter, String destinationService, Result result) {
    }

    private final MeterRegistry registry;
    private final ConcurrentMap<Series, Counter> counters = new ConcurrentHashMap<>();

    public MirrorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(String reporter, String destinationService, Result result) {
        counters.computeIfAbsent(new Series(reporter, destinationService, result), series -> Counter
                .builder("gatemesh.mirror.requests")
                .description("Requests copied to a VirtualService's mirror, by what became of the copy")
                .tags("destination_service", series.destinationService() == null ? "unknown" : series.destinationService(),
                        "reporter", series.reporter(), "result", series.result().tag())
                .register(registry)).increment();
    }
}
