package dev.gatemesh.proxy.ratelimit;

/**
 * Token-bucket arithmetic in exact integers, used by {@link LocalRateLimiter} and mirrored by {@code token-bucket.lua}.
 *
 * <p>A bucket holds <em>credits</em>: one token is worth {@code unit} in microseconds of credits, and every elapsed
 * microsecond adds {@code requestsPerUnit} credits. So refill and waiting times need no division that rounds, and the
 * validator's caps keep every value below 2^53, exact in Lua's doubles as well.
 */
final class TokenBucket {

    private TokenBucket() {
    }

    static long creditsPerToken(RateLimitRule rule) {
        return rule.unit().micros();
    }

    static long capacity(RateLimitRule rule) {
        return rule.burst() * creditsPerToken(rule);
    }

    /** The credits after {@code elapsedMicros} of refill, capped at capacity; time going back adds nothing. */
    static long refill(RateLimitRule rule, long credits, long elapsedMicros) {
        long capacity = capacity(rule);
        long missing = capacity - credits;
        if (missing <= 0) {
            return capacity;
        }
        if (elapsedMicros <= 0) {
            return credits;
        }
        if (elapsedMicros > missing / rule.requestsPerUnit()) {
            return capacity;
        }
        return credits + elapsedMicros * rule.requestsPerUnit();
    }

    /** How long until {@code credits} grow to one token. */
    static long waitMicros(RateLimitRule rule, long credits) {
        long needed = creditsPerToken(rule) - credits;
        return needed <= 0 ? 0 : ceilDiv(needed, rule.requestsPerUnit());
    }

    /** How long until {@code credits} grow to a full bucket. */
    static long untilFullMicros(RateLimitRule rule, long credits) {
        long missing = capacity(rule) - credits;
        return missing <= 0 ? 0 : ceilDiv(missing, rule.requestsPerUnit());
    }

    static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }
}
