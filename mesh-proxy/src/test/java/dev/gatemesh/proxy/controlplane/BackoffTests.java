package dev.gatemesh.proxy.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTests {

    /** A random source that always answers the same fraction. */
    private static RandomGenerator fixed(double fraction) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return fraction;
            }
        };
    }

    @Test
    void doublesEachAttemptUpToTheMaximum() {
        Backoff upper = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), fixed(0.999999));
        assertThat(upper.delay(0)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
        assertThat(upper.delay(1)).isBetween(Duration.ofMillis(199), Duration.ofMillis(200));
        assertThat(upper.delay(3)).isBetween(Duration.ofMillis(799), Duration.ofMillis(800));
        assertThat(upper.delay(10)).isBetween(Duration.ofMillis(1999), Duration.ofSeconds(2));
        assertThat(upper.delay(1000)).isLessThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void jitterNeverWaitsLessThanHalf() {
        Backoff lower = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), fixed(0.0));
        assertThat(lower.delay(0)).isEqualTo(Duration.ofMillis(50));
        assertThat(lower.delay(2)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void proxiesWithDifferentSeedsSpreadOut() {
        Backoff a = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new SplittableRandom(1));
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new SplittableRandom(2));
        assertThat(a.delay(5)).isNotEqualTo(b.delay(5));
        Backoff again = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new SplittableRandom(1));
        assertThat(again.delay(5)).isEqualTo(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30),
                new SplittableRandom(1)).delay(5));
    }

    @Test
    void rejectsAMaximumBelowTheInitialDelay() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 < initial <= max");
    }
}
