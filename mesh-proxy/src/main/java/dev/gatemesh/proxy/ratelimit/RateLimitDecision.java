package dev.gatemesh.proxy.ratelimit;

import java.time.Duration;

/**
 * A limiter's answer for one request.
 *
 * @param allowed       whether the request may pass
 * @param remaining     whole requests left in the bucket after this one; {@code -1} when unknown (backend unreachable)
 * @param retryAfter    when refused, how long until one request would be allowed (always {@code > 0}); zero when allowed
 * @param backendFailed the backend could not answer and the failure policy ({@code fail-open}) decided instead
 */
public record RateLimitDecision(boolean allowed, long remaining, Duration retryAfter, boolean backendFailed) {

    public RateLimitDecision {
        if (retryAfter == null) {
            retryAfter = Duration.ZERO;
        }
        if (!allowed && (retryAfter.isNegative() || retryAfter.isZero())) {
            throw new IllegalArgumentException("a refusal needs a positive retryAfter, was " + retryAfter);
        }
        if (allowed) {
            retryAfter = Duration.ZERO;
        }
    }

    public static RateLimitDecision allowed(long remaining) {
        return new RateLimitDecision(true, remaining, Duration.ZERO, false);
    }

    public static RateLimitDecision limited(Duration retryAfter) {
        return new RateLimitDecision(false, 0, retryAfter, false);
    }

    /** The {@code Retry-After} header's value: whole seconds, rounded up; 0 when allowed. */
    public long retryAfterSeconds() {
        if (allowed) {
            return 0;
        }
        long seconds = retryAfter.getSeconds();
        return retryAfter.getNano() > 0 ? seconds + 1 : seconds;
    }
}
