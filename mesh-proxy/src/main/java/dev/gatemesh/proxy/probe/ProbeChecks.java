package dev.gatemesh.proxy.probe;

import java.util.function.BooleanSupplier;

/**
 * What the probe listener asks: whether the proxy is alive (restart it if not) and ready (send it traffic).
 * Answers are yes or no; why is for the management port, on loopback.
 */
public record ProbeChecks(BooleanSupplier live, BooleanSupplier ready) {
}
