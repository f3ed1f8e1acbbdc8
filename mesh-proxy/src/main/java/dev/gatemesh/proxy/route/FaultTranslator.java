package dev.gatemesh.proxy.route;

import dev.gatemesh.api.model.Percent;
import dev.gatemesh.api.model.VirtualService.HttpFaultInjection;

/**
 * Translates a validated {@code HTTPFaultInjection} into a route's {@link Fault}, as Istio does: a missing
 * percentage means every request. The deprecated integer {@code percent} is not read (the loader warns about it).
 */
final class FaultTranslator {

    private static final double ALL = 100.0;

    private FaultTranslator() {
    }

    /** @return null when there is nothing to inject */
    static Fault translate(HttpFaultInjection fault) {
        if (fault == null || fault.delay() == null && fault.abort() == null) {
            return null;
        }
        Fault.Delay delay = fault.delay() == null || fault.delay().fixedDelay() == null ? null
                : new Fault.Delay(fault.delay().fixedDelay().value(), percentage(fault.delay().percentage()));
        Fault.Abort abort = fault.abort() == null || fault.abort().httpStatus() == null ? null
                : new Fault.Abort(fault.abort().httpStatus(), percentage(fault.abort().percentage()));
        return delay == null && abort == null ? null : new Fault(delay, abort);
    }

    private static double percentage(Percent percent) {
        return percent == null || percent.value() == null ? ALL : percent.value();
    }
}
