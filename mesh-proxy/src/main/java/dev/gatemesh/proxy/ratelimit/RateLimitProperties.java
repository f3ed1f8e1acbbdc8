package dev.gatemesh.proxy.ratelimit;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ingress gateway's rate limits, under {@code gatemesh.gateway}: bound as written, then turned into validated
 * {@link RateLimitRule}s by {@link #toRules()}, which reports every problem with its property path.
 *
 * @param rateLimits the rules, applied in order; a request must pass every rule it matches
 * @param redis      the Redis shared by the gateway replicas, for rules with {@code backend: REDIS}
 */
@ConfigurationProperties("gatemesh.gateway")
public record RateLimitProperties(@DefaultValue List<Rule> rateLimits, @DefaultValue Redis redis) {

    private static final String PREFIX = "gatemesh.gateway.";

    /**
     * One rule as written; see {@link RateLimitRule} for the meaning of each property.
     *
     * @param burst the bucket's capacity; defaults to {@code requestsPerUnit}
     */
    public record Rule(String name, @DefaultValue List<String> hosts, String pathPrefix, @DefaultValue Key key,
                       Long requestsPerUnit, RateLimitRule.Unit unit, Long burst,
                       @DefaultValue("LOCAL") RateLimitRule.Backend backend) {
    }

    /**
     * @param source CLIENT_IP (default), HEADER or CLAIM
     * @param name   the header or claim name
     */
    public record Key(@DefaultValue("CLIENT_IP") RateLimitKey.Source source, String name) {
    }

    /**
     * @param uri      {@code redis://host:port} (or {@code rediss://} for TLS), as Lettuce reads it
     * @param timeout  how long one check may wait for Redis before the failure policy decides
     * @param failOpen when Redis is unreachable or slow: {@code true} lets requests pass (and logs a warning at most once
     *                 a minute), {@code false} refuses them with 429; like Spring Cloud Gateway's RedisRateLimiter,
     *                 the default prefers availability over the limit
     */
    public record Redis(@DefaultValue("redis://127.0.0.1:6379") String uri, @DefaultValue("500ms") Duration timeout,
                        @DefaultValue("true") boolean failOpen) {
    }

    /** The rules, validated; all problems at once, e.g. {@code gatemesh.gateway.rate-limits[0].burst: must be > 0, was 0}. */
    public List<RateLimitRule> toRules() {
        List<String> problems = new ArrayList<>(validateRedis());
        Map<String, Integer> names = new HashMap<>();
        List<Rule> rules = rateLimits == null ? List.of() : rateLimits;
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            String path = PREFIX + "rate-limits[" + i + "].";
            Long burst = rule.burst() != null ? rule.burst() : rule.requestsPerUnit();
            Key key = rule.key() != null ? rule.key() : new Key(RateLimitKey.Source.CLIENT_IP, null);
            for (String problem : RateLimitRuleValidator.validate(rule.name(), rule.hosts(), rule.pathPrefix(), key.source(),
                    key.name(), rule.requestsPerUnit(), rule.unit(), burst, rule.backend())) {
                if (rule.burst() != null || !problem.startsWith("burst:")) {
                    problems.add(path + problem);
                }
            }
            Integer first = rule.name() == null ? null : names.putIfAbsent(rule.name(), i);
            if (first != null) {
                problems.add(path + "name: must be unique, '" + rule.name() + "' is also rate-limits[" + first + "]");
            }
        }
        if (!problems.isEmpty()) {
            throw new RateLimitConfigurationException(problems);
        }
        return rules.stream().map(RateLimitProperties::toRule).toList();
    }

    private static RateLimitRule toRule(Rule rule) {
        Key key = rule.key() != null ? rule.key() : new Key(RateLimitKey.Source.CLIENT_IP, null);
        long burst = rule.burst() != null ? rule.burst() : rule.requestsPerUnit();
        return new RateLimitRule(rule.name(), rule.hosts(), rule.pathPrefix(), new RateLimitKey(key.source(), key.name()),
                rule.requestsPerUnit(), rule.unit(), burst, rule.backend());
    }

    private List<String> validateRedis() {
        List<String> problems = new ArrayList<>();
        if (redis == null) {
            return problems;
        }
        try {
            RedisURI.create(redis.uri());
        } catch (RuntimeException e) {
            problems.add(PREFIX + "redis.uri: must be like redis://host:port, was '" + redis.uri() + "' (" + e.getMessage() + ")");
        }
        if (redis.timeout() == null || redis.timeout().isNegative() || redis.timeout().isZero()) {
            problems.add(PREFIX + "redis.timeout: must be > 0, was " + redis.timeout());
        }
        return problems;
    }
}
