package dev.gatemesh.proxy.retry;

import java.time.Duration;

/** A try got no response headers within the route's {@code perTryTimeout}. Not a {@code TimeoutException}: that is the route's. */
public final class PerTryTimeoutException extends RuntimeException {

    private final Duration timeout;

    public PerTryTimeoutException(Duration timeout) {
        super("upstream per-try timeout after " + timeout.toMillis() + " ms", null, false, false);
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }
}
