package dev.gatemesh.proxy.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.proxy.route.Fault;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

class FaultInjectorTests {

    private final Scheduler timer = Schedulers.newSingle("test-fault-timer");

    @AfterEach
    void stop() {
        timer.dispose();
    }

    /** Answers the given fractions in turn. */
    private static RandomGenerator draws(double... fractions) {
        int[] next = {0};
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public double nextDouble() {
                return fractions[next[0]++];
            }
        };
    }

    private static Fault abort(int status, double percentage) {
        return new Fault(null, new Fault.Abort(status, percentage));
    }

    private static Fault delay(Duration delay, double percentage) {
        return new Fault(new Fault.Delay(delay, percentage), null);
    }

    @Test
    void aRouteWithoutAFaultInjectsNothing() {
        assertThat(new FaultInjector(draws(), timer).decide(null)).isEqualTo(FaultInjector.Injection.NONE);
    }

    @Test
    void oneHundredPercentAlwaysAppliesAndZeroNeverWithoutDrawing() {
        FaultInjector faults = new FaultInjector(draws(), timer); // any draw would fail
        for (int i = 0; i < 100; i++) {
            assertThat(faults.decide(abort(500, 100)).abortStatus()).isEqualTo(500);
            assertThat(faults.decide(delay(Duration.ofSeconds(7), 100)).delay()).isEqualTo(Duration.ofSeconds(7));
            assertThat(faults.decide(new Fault(new Fault.Delay(Duration.ofSeconds(1), 0), new Fault.Abort(503, 0))))
                    .isEqualTo(FaultInjector.Injection.NONE);
        }
    }

    @Test
    void aPercentageAppliesToDrawsBelowIt() {
        FaultInjector faults = new FaultInjector(draws(0.499, 0.5, 0.001, 0.0009), timer);
        assertThat(faults.decide(abort(503, 50)).aborts()).isTrue();
        assertThat(faults.decide(abort(503, 50)).aborts()).isFalse();
        assertThat(faults.decide(abort(503, 0.1)).aborts()).isFalse();
        assertThat(faults.decide(abort(503, 0.1)).aborts()).isTrue();
    }

    @Test
    void theDelayAndTheAbortAreDrawnIndependentlyDelayFirst() {
        Fault both = new Fault(new Fault.Delay(Duration.ofSeconds(2), 50), new Fault.Abort(500, 50));
        FaultInjector faults = new FaultInjector(draws(0.2, 0.8, 0.8, 0.2, 0.1, 0.1), timer);
        assertThat(faults.decide(both)).isEqualTo(new FaultInjector.Injection(Duration.ofSeconds(2), null));
        assertThat(faults.decide(both)).isEqualTo(new FaultInjector.Injection(null, 500));
        assertThat(faults.decide(both)).isEqualTo(new FaultInjector.Injection(Duration.ofSeconds(2), 500));
    }

    @Test
    void anInjectionDescribesItselfWithEnvoysResponseFlags() {
        assertThat(new FaultInjector.Injection(Duration.ofSeconds(2), null).describe()).isEqualTo("fault filter delay 2000 ms (DI)");
        assertThat(new FaultInjector.Injection(null, 500).describe()).isEqualTo("fault filter abort (FI)");
        assertThat(new FaultInjector.Injection(Duration.ofMillis(5), 503).describe())
                .isEqualTo("fault filter delay 5 ms (DI), fault filter abort (FI)");
    }

    @Test
    void aFiftyPercentAbortWithASeededRandomAbortsTheSameRequestsEveryRun() {
        assertThat(aborted(new FaultInjector(new SplittableRandom(20261125), timer), 1000)).isEqualTo(ABORTED_WITH_SEED);
        assertThat(aborted(new FaultInjector(new SplittableRandom(20261125), timer), 1000)).isEqualTo(ABORTED_WITH_SEED);
    }

    @Test
    void aFiftyPercentAbortLandsNearHalfOverManyRequests() {
        assertThat(aborted(new FaultInjector(new SplittableRandom(7), timer), 10_000)).isBetween(4_800, 5_200);
    }

    /** What the seeded draws give (50% of 1000 requests): fixed, so a change in the draw shows here. */
    private static final int ABORTED_WITH_SEED = 487;

    private static int aborted(FaultInjector faults, int requests) {
        int aborted = 0;
        for (int i = 0; i < requests; i++) {
            if (faults.decide(abort(503, 50)).aborts()) {
                aborted++;
            }
        }
        return aborted;
    }

    @Test
    void theDelayWaitsOnTheTimerWithoutBlockingTheCaller() {
        FaultInjector faults = new FaultInjector(draws(), timer);
        AtomicReference<String> thread = new AtomicReference<>();
        long start = System.nanoTime();
        faults.delay(new FaultInjector.Injection(Duration.ofMillis(50), null))
                .doOnSuccess(done -> thread.set(Thread.currentThread().getName())).block(Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(thread.get()).startsWith("test-fault-timer");
    }

    @Test
    void withoutADelayTheRequestGoesOnAtOnce() {
        FaultInjector faults = new FaultInjector(draws(), timer);
        AtomicReference<String> thread = new AtomicReference<>();
        faults.delay(FaultInjector.Injection.NONE).doOnSuccess(done -> thread.set(Thread.currentThread().getName())).block();
        assertThat(thread.get()).isEqualTo(Thread.currentThread().getName());
    }
}
