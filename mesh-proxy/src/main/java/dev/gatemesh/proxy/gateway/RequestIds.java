package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.egress.TraceContext;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Makes the {@code x-request-id} and {@code traceparent} a gateway gives requests that come without them. Each event
 * loop thread draws from a generator of its own, split once from the root: no lock on the request path, and a seeded
 * root still gives a test its predictable ids on one thread.
 */
final class RequestIds {

    private final SplittableRandom root;
    private final ThreadLocal<SplittableRandom> perThread;

    RequestIds(SplittableRandom root) {
        this.root = root;
        this.perThread = ThreadLocal.withInitial(this::split);
    }

    private SplittableRandom split() {
        synchronized (root) { // once per thread, never per request
            return root.split();
        }
    }

    /** A random request id in the UUID text form (version 4). */
    String requestId() {
        SplittableRandom random = perThread.get();
        return new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    /** A new sampled W3C {@code traceparent}. */
    String traceparent() {
        return TraceContext.newTraceparent(perThread.get());
    }
}
