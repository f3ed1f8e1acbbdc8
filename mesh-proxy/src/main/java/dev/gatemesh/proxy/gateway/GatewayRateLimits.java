package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.ratelimit.LocalRateLimiter;
import dev.gatemesh.proxy.ratelimit.RateLimitProperties;
import dev.gatemesh.proxy.ratelimit.RateLimitRule;
import dev.gatemesh.proxy.ratelimit.RateLimiter;
import dev.gatemesh.proxy.ratelimit.RateLimits;
import dev.gatemesh.proxy.ratelimit.RedisRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The gateway's rate limits from {@code gatemesh.gateway.rate-limits}: a local token bucket per rule and key,
 * and a Redis-backed one shared by all replicas for rules with {@code backend: REDIS} (Redis is connected only
 * when a rule needs it).
 */
public final class GatewayRateLimits implements RateLimitCheck, AutoCloseable {

    private final RateLimits limits;
    private final RedisRateLimiter redis;

    private GatewayRateLimits(RateLimits limits, RedisRateLimiter redis) {
        this.limits = limits;
        this.redis = redis;
    }

    /** @throws dev.gatemesh.proxy.ratelimit.RateLimitConfigurationException naming each bad property */
    public static GatewayRateLimits of(RateLimitProperties properties, MeterRegistry registry, Clock clock) {
        List<RateLimitRule> rules = properties.toRules();
        Map<RateLimitRule.Backend, RateLimiter> limiters = new EnumMap<>(RateLimitRule.Backend.class);
        limiters.put(RateLimitRule.Backend.LOCAL, new LocalRateLimiter(clock));
        RedisRateLimiter redis = null;
        if (rules.stream().anyMatch(rule -> rule.backend() == RateLimitRule.Backend.REDIS)) {
            redis = new RedisRateLimiter(properties.redis(), clock);
            limiters.put(RateLimitRule.Backend.REDIS, redis);
        }
        return new GatewayRateLimits(new RateLimits(rules, limiters, registry), redis);
    }

    public List<RateLimitRule> rules() {
        return limits.rules();
    }

    @Override
    public Mono<Duration> retryAfter(String host, String path, String clientIp, Function<String, String> header,
                                     Map<String, Object> claims) {
        return limits.check(host, path, clientIp, header, claims)
                .flatMap(decision -> decision.allowed() ? Mono.empty() : Mono.just(decision.retryAfter()));
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
    }
}
