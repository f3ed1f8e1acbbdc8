package dev.gatemesh.proxy.retry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Envoy's retry budget for one destination cluster: retries in flight may be at most {@code percent} of the requests
 * in flight to it, but {@code minConcurrency} retries are always allowed. Lock-free: a retry takes a slot with a
 * compare-and-set and gives it back when its try ends.
 */
public final class RetryBudget {

    private final double percent;
    private final int minConcurrency;
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final AtomicInteger activeRetries = new AtomicInteger();

    public RetryBudget(double percent, int minConcurrency) {
        if (percent < 0 || percent > 100 || minConcurrency < 0) {
            throw new IllegalArgumentException("a retry budget needs 0 <= percent <= 100 and minConcurrency >= 0 (got "
                    + percent + ", " + minConcurrency + ")");
        }
        this.percent = percent;
        this.minConcurrency = minConcurrency;
    }

    /** How many retries may be in flight while {@code activeRequests} requests are. */
    public int allowedRetries(int activeRequests) {
        return Math.max(minConcurrency, (int) (activeRequests * percent / 100));
    }

    public void requestStarted() {
        activeRequests.incrementAndGet();
    }

    public void requestFinished() {
        activeRequests.decrementAndGet();
    }

    /** Takes a retry slot if the budget has one; a true answer must be matched by {@link #retryFinished}. */
    public boolean tryStartRetry() {
        while (true) {
            int retries = activeRetries.get();
            if (retries >= allowedRetries(activeRequests.get())) {
                return false;
            }
            if (activeRetries.compareAndSet(retries, retries + 1)) {
                return true;
            }
        }
    }

    public void retryFinished() {
        activeRetries.decrementAndGet();
    }

    int activeRetries() {
        return activeRetries.get();
    }
}
