package dev.gatemesh.proxy.ratelimit;

import reactor.core.publisher.Mono;

/** Takes one token from the bucket of {@code (rule, key)}; {@link LocalRateLimiter} and {@link RedisRateLimiter}. */
public interface RateLimiter {

    /** Never errors: a backend failure becomes a decision by the limiter's failure policy. */
    Mono<RateLimitDecision> tryAcquire(RateLimitRule rule, String key);
}
