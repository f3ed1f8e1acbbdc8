package dev.gatemesh.proxy.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryBackoffTests {

    @Test
    void eachRetryWaitsLessThanTwoToTheNMinusOneTimesTheBaseCappedAtTheMax() {
        RetryBackoff backoff = new RetryBackoff(new SplittableRandom(42));
        for (int i = 0; i < 1000; i++) {
            assertThat(backoff.delay(1)).isLessThan(Duration.ofMillis(25)).isGreaterThanOrEqualTo(Duration.ZERO);
            assertThat(backoff.delay(2)).isLessThan(Duration.ofMillis(75));
            assertThat(backoff.delay(3)).isLessThan(Duration.ofMillis(175));
            assertThat(backoff.delay(4)).isLessThan(Duration.ofMillis(250));
            assertThat(backoff.delay(40)).isLessThan(Duration.ofMillis(250));
        }
    }

    @Test
    void fullJitterSpreadsWaitsOverTheWholeRange() {
        RetryBackoff backoff = new RetryBackoff(new SplittableRandom(7));
        long below = 0;
        long above = 0;
        for (int i = 0; i < 1000; i++) {
            Duration wait = backoff.delay(5);
            below += wait.compareTo(Duration.ofMillis(50)) < 0 ? 1 : 0;
            above += wait.compareTo(Duration.ofMillis(200)) > 0 ? 1 : 0;
        }
        assertThat(below).isBetween(100L, 300L);
        assertThat(above).isBetween(100L, 300L);
    }

    @Test
    void theSameSeedGivesTheSameWaits() {
        RetryBackoff a = new RetryBackoff(new SplittableRandom(1));
        RetryBackoff b = new RetryBackoff(new SplittableRandom(1));
        for (int retry = 1; retry < 6; retry++) {
            assertThat(a.delay(retry)).isEqualTo(b.delay(retry));
        }
    }

    @Test
    void rejectsAMaxBelowTheBaseAndRetryZero() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryBackoff(Duration.ofMillis(25), Duration.ofMillis(10),
                new SplittableRandom()));
        assertThatIllegalArgumentException().isThrownBy(() -> new RetryBackoff(new SplittableRandom()).delay(0));
    }
}
