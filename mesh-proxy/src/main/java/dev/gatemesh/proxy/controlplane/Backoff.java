package dev.gatemesh.proxy.controlplane;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: attempt n waits a random time between half and all of
 * {@code min(max, initial * 2^n)}, so that proxies cut off together do not all return together.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max (got " + initial + ", " + max + ")");
        }
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    public Duration delay(int attempt) {
        long ceiling = initial.toNanos();
        for (int i = 0; i < attempt && ceiling < max.toNanos(); i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, max.toNanos());
        long half = ceiling / 2;
        return Duration.ofNanos(half + (long) (random.nextDouble() * (ceiling - half)));
    }
}
