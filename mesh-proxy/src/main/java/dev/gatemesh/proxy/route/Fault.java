package dev.gatemesh.proxy.route;

import java.time.Duration;

/**
 * A route's fault injection (Istio's {@code HTTPFaultInjection}), as validated plain data: each part applies
 * to a share of the requests the route matches, drawn independently. The proxy carries it out with
 * {@link dev.gatemesh.proxy.fault.FaultInjector}.
 *
 * @param delay null for none
 * @param abort null for none
 */
public record Fault(Delay delay, Abort abort) {

    /** @param percentage the share of requests delayed, 0..100 */
    public record Delay(Duration fixedDelay, double percentage) {
    }

    /** @param percentage the share of requests answered with {@code httpStatus} instead of being sent on, 0..100 */
    public record Abort(int httpStatus, double percentage) {
    }
}
