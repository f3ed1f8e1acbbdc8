package dev.gatemesh.proxy.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A rule as Bucket4j's token bucket, and Bucket4j's answer as a {@link RateLimitDecision}: shared by the local and the
 * Redis limiter, so that both refill and answer alike.
 *
 * <p>A rule is one greedy bandwidth: {@code burst} tokens, refilled continuously at {@code requestsPerUnit} per
 * {@code unit} (10 a second is one every 100 ms, not 10 at each second's start), which is the token bucket the rule
 * describes.
 */
final class Bucket4jRules {

    private Bucket4jRules() {
    }

    static Bandwidth bandwidth(RateLimitRule rule) {
        return Bandwidth.builder()
                .capacity(rule.burst())
                .refillGreedy(rule.requestsPerUnit(), rule.unit().duration())
                .build();
    }

    static BucketConfiguration configuration(RateLimitRule rule) {
        return BucketConfiguration.builder().addLimit(bandwidth(rule)).build();
    }

    static RateLimitDecision decision(ConsumptionProbe probe) {
        return probe.isConsumed()
                ? RateLimitDecision.allowed(probe.getRemainingTokens())
                : RateLimitDecision.limited(Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill())));
    }

    /** Bucket time from {@code clock}, so that tests move it. */
    static TimeMeter timeMeter(Clock clock) {
        return new ClockTimeMeter(clock);
    }

    private record ClockTimeMeter(Clock clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
