package dev.gatemesh.proxy.runtime;

import java.util.random.RandomGenerator;

/**
 * One random source shared by several users that each draw under their own lock (faults, mirrors): every draw
 * goes through this one lock, so a generator that is not thread-safe (a seeded {@code SplittableRandom}) will do,
 * and its sequence is the one a test predicts.
 */
final class SharedRandom implements RandomGenerator {

    private final RandomGenerator random;

    SharedRandom(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public synchronized long nextLong() {
        return random.nextLong();
    }

    @Override
    public synchronized double nextDouble() {
        return random.nextDouble();
    }

    @Override
    public synchronized int nextInt(int bound) {
        return random.nextInt(bound);
    }
}
