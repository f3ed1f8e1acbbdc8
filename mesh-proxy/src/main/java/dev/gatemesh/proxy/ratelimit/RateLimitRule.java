package dev.gatemesh.proxy.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One rate limit of the ingress gateway: which requests it counts, by what key, and how fast its token bucket refills.
 *
 * <p>A request matches when its host matches one of {@code hosts} (any host when empty) and its path starts with
 * {@code pathPrefix} (any path when null). The prefix is a plain string prefix, like Istio's {@code prefix} match,
 * applied to the path the gateway routed on. Each key gets a bucket of {@code burst} tokens, refilled at
 * {@code requestsPerUnit} per {@code unit}; a request takes one token.
 *
 * <p>Constructed rules are valid: the constructor rejects what {@link RateLimitRuleValidator} reports.
 *
 * @param name            unique among the rules; letters, digits, {@code . _ -} (it is part of Redis keys and metrics)
 * @param hosts           exact host names or {@code *.example.com} wildcards, compared without port, case-insensitive
 * @param pathPrefix      the path prefix, starting with {@code /}; null for any path
 * @param key             what requests are counted by
 * @param requestsPerUnit the refill rate, in tokens per {@code unit}
 * @param unit            the refill rate's unit
 * @param burst           the bucket's capacity: how many requests may pass at once after a quiet period
 * @param backend         where buckets live: this process or Redis, shared by all gateway replicas
 */
public record RateLimitRule(String name, List<String> hosts, String pathPrefix, RateLimitKey key, long requestsPerUnit,
                            Unit unit, long burst, Backend backend) {

    public enum Unit {
        SECOND(Duration.ofSeconds(1)), MINUTE(Duration.ofMinutes(1)), HOUR(Duration.ofHours(1));

        private final Duration duration;

        Unit(Duration duration) {
            this.duration = duration;
        }

        public Duration duration() {
            return duration;
        }

        long micros() {
            return duration.toNanos() / 1000;
        }
    }

    public enum Backend { LOCAL, REDIS }

    public RateLimitRule {
        hosts = hosts == null ? List.of() : hosts.stream().map(RateLimitRule::normalizeHostPattern).toList();
        List<String> problems = RateLimitRuleValidator.validate(name, hosts, pathPrefix,
                key == null ? null : key.source(), key == null ? null : key.name(), requestsPerUnit, unit, burst, backend);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("rate limit rule '" + name + "': " + String.join("; ", problems));
        }
    }

    /** A rule whose burst is its rate: at most {@code requestsPerUnit} at once. */
    public RateLimitRule(String name, List<String> hosts, String pathPrefix, RateLimitKey key, long requestsPerUnit,
                         Unit unit, Backend backend) {
        this(name, hosts, pathPrefix, key, requestsPerUnit, unit, requestsPerUnit, backend);
    }

    /** Whether a request to {@code host} (as sent: port and case allowed) and {@code path} is counted by this rule. */
    public boolean matches(String host, String path) {
        return matchesHost(normalizeHost(host)) && matchesPath(path);
    }

    /** Host matching on a host already {@linkplain #normalizeHost normalized}. */
    boolean matchesHost(String normalizedHost) {
        if (hosts.isEmpty()) {
            return true;
        }
        for (String pattern : hosts) {
            if (pattern.equals("*") || pattern.equals(normalizedHost)) {
                return true;
            }
            if (pattern.startsWith("*.") && normalizedHost.length() > pattern.length() - 1
                    && normalizedHost.endsWith(pattern.substring(1))) {
                return true;
            }
        }
        return false;
    }

    boolean matchesPath(String path) {
        return pathPrefix == null || (path != null && path.startsWith(pathPrefix));
    }

    /** A Host header or authority without its port, in lower case, without a trailing dot; "" for null. */
    static String normalizeHost(String authority) {
        if (authority == null) {
            return "";
        }
        String host = authority.strip();
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end > 0 ? host.substring(0, end + 1) : host;
        } else {
            int colon = host.indexOf(':');
            if (colon >= 0 && colon == host.lastIndexOf(':')) {
                host = host.substring(0, colon);
            }
        }
        return normalizeHostPattern(host);
    }

    private static String normalizeHostPattern(String host) {
        if (host == null) {
            return null;
        }
        String lower = host.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
