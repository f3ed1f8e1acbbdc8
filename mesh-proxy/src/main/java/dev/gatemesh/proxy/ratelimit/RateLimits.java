package dev.gatemesh.proxy.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The gateway's rate limits: every rule a request matches takes a token from its bucket, and the request passes only
 * if all of them allow it; refused, it is told the longest {@code Retry-After} among the refusing rules. A request
 * refused by one rule still spends a token of the other rules it matched. A request no rule matches passes.
 *
 * <p>Immutable: a new configuration is a new instance (the buckets live in the limiters and survive it).
 * Counts each rule's outcomes in {@code gatemesh_ratelimit_requests_total{rule, result=allowed|limited|error}}, where
 * {@code error} is a decision the Redis failure policy took.
 */
public final class RateLimits {

    public static final String METRIC = "gatemesh_ratelimit_requests_total";

    private static final RateLimitDecision UNLIMITED = RateLimitDecision.allowed(-1);

    private record Counters(Counter allowed, Counter limited, Counter error) {

        void count(RateLimitDecision decision) {
            (decision.backendFailed() ? error : decision.allowed() ? allowed : limited).increment();
        }
    }

    private final List<RateLimitRule> rules;
    private final Map<RateLimitRule.Backend, RateLimiter> limiters;
    private final Map<String, Counters> counters = new HashMap<>();

    /**
     * @param rules    validated rules, e.g. from {@link RateLimitProperties#toRules()}, with unique names
     * @param limiters a limiter for each backend the rules use
     */
    public RateLimits(List<RateLimitRule> rules, Map<RateLimitRule.Backend, ? extends RateLimiter> limiters,
                      MeterRegistry registry) {
        this.rules = List.copyOf(rules);
        this.limiters = limiters.isEmpty() ? Map.of() : new EnumMap<>(limiters);
        List<String> problems = new ArrayList<>();
        for (RateLimitRule rule : this.rules) {
            if (!this.limiters.containsKey(rule.backend())) {
                problems.add("rule '" + rule.name() + "': no " + rule.backend() + " limiter is configured");
            }
            if (counters.containsKey(rule.name())) {
                problems.add("rule '" + rule.name() + "': the name is used by another rule");
            }
            counters.put(rule.name(), new Counters(counter(registry, rule, "allowed"), counter(registry, rule, "limited"),
                    counter(registry, rule, "error")));
        }
        if (!problems.isEmpty()) {
            throw new RateLimitConfigurationException(problems);
        }
    }

    /** No rules: every request passes. */
    public static RateLimits none(MeterRegistry registry) {
        return new RateLimits(List.of(), Map.of(), registry);
    }

    public List<RateLimitRule> rules() {
        return rules;
    }

    /**
     * @param host     the request's Host or authority, port allowed
     * @param path     the request's path, as routed (normalized, no query)
     * @param clientIp the client's address
     * @param header   a request header's first value by case-insensitive name, null when absent
     * @param claims   the verified JWT's claims; empty for an unauthenticated request
     * @return the combined decision; {@code remaining} is the smallest among the rules, {@code -1} when unknown
     */
    public Mono<RateLimitDecision> check(String host, String path, String clientIp, Function<String, String> header,
                                         Map<String, Object> claims) {
        String normalizedHost = RateLimitRule.normalizeHost(host);
        List<RateLimitRule> matching = new ArrayList<>(2);
        for (RateLimitRule rule : rules) {
            if (rule.matchesHost(normalizedHost) && rule.matchesPath(path)) {
                matching.add(rule);
            }
        }
        if (matching.isEmpty()) {
            return Mono.just(UNLIMITED);
        }
        if (matching.size() == 1) {
            return acquire(matching.get(0), clientIp, header, claims);
        }
        return Flux.fromIterable(matching)
                .flatMap(rule -> acquire(rule, clientIp, header, claims))
                .reduce(RateLimits::combine);
    }

    private Mono<RateLimitDecision> acquire(RateLimitRule rule, String clientIp, Function<String, String> header,
                                            Map<String, Object> claims) {
        String key = RateLimitKeyResolver.resolve(rule.key(), clientIp, header, claims);
        Counters counted = counters.get(rule.name());
        return limiters.get(rule.backend()).tryAcquire(rule, key).doOnNext(counted::count);
    }

    static RateLimitDecision combine(RateLimitDecision a, RateLimitDecision b) {
        long remaining = a.remaining() < 0 ? b.remaining() : b.remaining() < 0 ? a.remaining()
                : Math.min(a.remaining(), b.remaining());
        boolean allowed = a.allowed() && b.allowed();
        return new RateLimitDecision(allowed, allowed ? remaining : 0,
                a.retryAfter().compareTo(b.retryAfter()) >= 0 ? a.retryAfter() : b.retryAfter(),
                a.backendFailed() || b.backendFailed());
    }

    private static Counter counter(MeterRegistry registry, RateLimitRule rule, String result) {
        return Counter.builder(METRIC)
                .description("Requests checked against a rate limit rule, by outcome")
                .tag("rule", rule.name())
                .tag("result", result)
                .register(registry);
    }
}
