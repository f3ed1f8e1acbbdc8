package dev.gatemesh.proxy.retry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts retries in {@code gatemesh.retries} ({@code gatemesh_retries_total}) by {@code result}: {@code retried} for
 * every retry sent, {@code budget_exhausted} for a retry the budget refused, {@code exhausted} for a request whose
 * every try failed; and timeouts in {@code gatemesh.timeouts} by {@code kind} ({@code per_try}, {@code route}).
 * Both carry {@code destination_service} and {@code reporter}, as {@code istio_requests_total} does.
 */
public final class RetryMetrics {

    public enum Result { RETRIED, BUDGET_EXHAUSTED, EXHAUSTED }

    public enum TimeoutKind { PER_TRY, ROUTE }

    private record Series(String name, String kind, String reporter, String destinationService) {
    }

    private final MeterRegistry registry;
    private final ConcurrentMap<Series, Counter> counters = new ConcurrentHashMap<>();

    public RetryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void retry(Result result, String reporter, String destinationService) {
        count(new Series("gatemesh.retries", tag(result), reporter, destinationService));
    }

    public void timeout(TimeoutKind kind, String reporter, String destinationService) {
        count(new Series("gatemesh.timeouts", tag(kind), reporter, destinationService));
    }

    private void count(Series series) {
        Counter counter = counters.get(series);
        if (counter == null) {
            counter = counters.computeIfAbsent(series, s -> Counter.builder(s.name())
                    .description(s.name().equals("gatemesh.retries") ? "Retries of requests, by result"
                            : "Requests or tries that timed out, by kind")
                    .tags(s.name().equals("gatemesh.retries") ? "result" : "kind", s.kind(),
                            "destination_service", s.destinationService() == null ? "unknown" : s.destinationService(),
                            "reporter", s.reporter())
                    .register(registry));
        }
        counter.increment();
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
