package dev.gatemesh.proxy.mirror;

import java.util.random.RandomGenerator;

/**
 * Decides whether one request is mirrored: {@code mirrorPercentage} out of 100 requests, drawn independently per
 * request as Envoy's runtime fraction does. 0 never and 100 always mirror without drawing; the random source is
 * injected so that tests decide the draws.
 */
public final class MirrorSampler {

    private final RandomGenerator random;
    private final Object drawing = new Object();

    /** @param random draws the percentages; used under a lock, so a generator that is not thread-safe will do */
    public MirrorSampler(RandomGenerator random) {
        this.random = random;
    }

    public boolean sample(double percentage) {
        if (percentage <= 0) {
            return false;
        }
        if (percentage >= 100) {
            return true;
        }
        synchronized (drawing) {
            return random.nextDouble() * 100 < percentage;
        }
    }
}
