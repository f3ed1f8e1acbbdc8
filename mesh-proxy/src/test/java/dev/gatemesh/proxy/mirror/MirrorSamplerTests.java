package dev.gatemesh.proxy.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MirrorSamplerTests {

    /** A random that fails the test when drawn from. */
    private static final RandomGenerator NO_DRAW = () -> {
        throw new AssertionError("no draw expected");
    };

    @Test
    void mirrorsEveryRequestAtOneHundredPercentWithoutDrawing() {
        MirrorSampler sampler = new MirrorSampler(NO_DRAW);
        assertThat(IntStream.range(0, 100).allMatch(i -> sampler.sample(100))).isTrue();
    }

    @Test
    void neverMirrorsAtZeroPercentWithoutDrawing() {
        MirrorSampler sampler = new MirrorSampler(NO_DRAW);
        assertThat(IntStream.range(0, 100).noneMatch(i -> sampler.sample(0))).isTrue();
    }

    @Test
    void mirrorsADrawBelowThePercentage() {
        MirrorSampler sampler = new MirrorSampler(new RandomGenerator() {
            private final double[] draws = {0.249, 0.25, 0.999, 0.0};
            private int next;

            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return draws[next++];
            }
        });
        assertThat(sampler.sample(25)).isTrue();
        assertThat(sampler.sample(25)).isFalse();
        assertThat(sampler.sample(25)).isFalse();
        assertThat(sampler.sample(25)).isTrue();
    }

    @Test
    void fiftyPercentWithASeededRandomMirrorsThePredictedShare() {
        SplittableRandom same = new SplittableRandom(20261125);
        long expected = IntStream.range(0, 1000).filter(i -> same.nextDouble() * 100 < 50).count();
        MirrorSampler sampler = new MirrorSampler(new SplittableRandom(20261125));
        long mirrored = IntStream.range(0, 1000).filter(i -> sampler.sample(50)).count();
        assertThat(mirrored).isEqualTo(expected).isBetween(450L, 550L);
    }

    @Test
    void refusesAnInFlightLimitBelowOne() {
        assertThatThrownBy(() -> new RequestMirror(new MirrorSampler(NO_DRAW), null, null, "source", 0,
                RequestMirror.DEFAULT_MAX_TIMEOUT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxInFlight");
    }
}
