package dev.gatemesh.proxy.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Envoy's retry back-off: before retry {@code n} (1 for the first) a wait drawn uniformly from
 * {@code [0, (2^n - 1) * base)}, never more than {@code max} (full jitter). Envoy's defaults are 25 ms and 250 ms.
 * The random source is injected, so that tests decide the draws.
 */
public final class RetryBackoff {

    public static final Duration DEFAULT_BASE = Duration.ofMillis(25);
    public static final Duration DEFAULT_MAX = Duration.ofMillis(250);

    private final long baseNanos;
    private final long maxNanos;
    private final RandomGenerator random;

    /** @param random drawn from under a lock, so a generator that is not thread-safe will do */
    public RetryBackoff(Duration base, Duration max, RandomGenerator random) {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("the back-off needs 0 < base <= max (got base " + base + ", max " + max + ")");
        }
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    public RetryBackoff(RandomGenerator random) {
        this(DEFAULT_BASE, DEFAULT_MAX, random);
    }

    /** The wait before retry {@code retry} (1 for the first retry). */
    public Duration delay(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries count from 1 (got " + retry + ")");
        }
        long bound = retry >= 30 ? maxNanos : Math.min(maxNanos, ((1L << retry) - 1) * baseNanos);
        long nanos;
        synchronized (random) {
            nanos = random.nextLong(bound);
        }
        return Duration.ofNanos(nanos);
    }
}
