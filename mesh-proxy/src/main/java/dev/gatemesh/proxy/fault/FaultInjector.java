package dev.gatemesh.proxy.fault;

import dev.gatemesh.proxy.route.Fault;
import java.time.Duration;
import java.util.random.RandomGenerator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Decides, request by request, which of a route's faults apply, as Envoy's fault filter does: the delay and
 * the abort are drawn independently, each with its own percentage; a delayed request waits first, then is
 * aborted or sent on. The random source and the timer are injected, so that tests decide the draws and the time.
 */
public final class FaultInjector {

    /** Envoy's body for an aborted request. */
    public static final String ABORT_BODY = "fault filter abort";

    /** What to do to one request: wait {@code delay} (null: no wait), then answer {@code abortStatus} (null: send on). */
    public record Injection(Duration delay, Integer abortStatus) {

        public static final Injection NONE = new Injection(null, null);

        public boolean delays() {
            return delay != null;
        }

        public boolean aborts() {
            return abortStatus != null;
        }

        /** For the access log, with Envoy's response flags: {@code fault filter delay 2000 ms (DI), fault filter abort (FI)}. */
        public String describe() {
            String delayed = delays() ? "fault filter delay " + delay.toMillis() + " ms (DI)" : "";
            String aborted = aborts() ? ABORT_BODY + " (FI)" : "";
            return delayed + (delays() && aborts() ? ", " : "") + aborted;
        }
    }

    private final RandomGenerator random;
    private final Scheduler timer;
    private final Object drawing = new Object();

    /**
     * @param random draws the percentages; it is used under a lock, so a generator that is not thread-safe will do
     * @param timer  runs the delays (never blocks a thread)
     */
    public FaultInjector(RandomGenerator random, Scheduler timer) {
        this.random = random;
        this.timer = timer;
    }

    /** The faults for one request matched by a route with {@code fault} (null: none). */
    public Injection decide(Fault fault) {
        if (fault == null) {
            return Injection.NONE;
        }
        Duration delay = fault.delay() != null && draw(fault.delay().percentage()) ? fault.delay().fixedDelay() : null;
        Integer abort = fault.abort() != null && draw(fault.abort().percentage()) ? fault.abort().httpStatus() : null;
        return delay == null && abort == null ? Injection.NONE : new Injection(delay, abort);
    }

    /** Completes after the injection's delay, on the timer; at once when there is none. */
    public Mono<Void> delay(Injection injection) {
        return injection.delays() ? Mono.delay(injection.delay(), timer).then() : Mono.empty();
    }

    /** True for {@code percentage} out of 100 draws; 0 never draws, 100 always does (and neither uses the random). */
    private boolean draw(double percentage) {
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
