package dev.gatemesh.proxy.pool;

import dev.gatemesh.proxy.route.PoolSettings;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * One cluster's circuit breakers, as Envoy keeps them: requests in flight, requests waiting for a connection and
 * retries in flight, each capped by the cluster's {@link PoolSettings}. A request over a limit is refused at once
 * (an {@link Overflow}); nothing waits beyond {@code http1MaxPendingRequests}.
 *
 * <p>Why counters and not reactor-netty's pool limits: a {@code ConnectionProvider}'s {@code maxConnections} and
 * {@code pendingAcquireMaxCount} count per remote address (per endpoint), while Envoy's count per cluster, across
 * all its endpoints; and a pool's pending acquire fails late and with a generic error. Here the decision is taken
 * before anything is sent, for the whole cluster, and names the limit.
 *
 * <p><b>Retries</b> (for the retry policy's code): call {@link #tryAcquireRetry()} before sending a retry; when it
 * answers false, the retry budget of the cluster ({@code http.maxRetries}) is spent: do not retry, answer with the
 * last attempt's response (Envoy counts {@code upstream_rq_retry_overflow}; here {@code gatemesh.overflows} with
 * {@code limit=maxRetries} is counted by the registry's listener). After the retry finished, whatever its outcome,
 * call {@link #releaseRetry()} once. Get the limits of a cluster from {@link ConnectionPools#limits}.
 */
public final class ClusterLimits {

    /** Which limit refused a request, for the response and the {@code limit} tag. */
    public enum Limit {
        MAX_CONNECTIONS("maxConnections"), MAX_PENDING_REQUESTS("http1MaxPendingRequests"),
        MAX_REQUESTS("http2MaxRequests"), MAX_RETRIES("maxRetries");

        private final String field;

        Limit(String field) {
            this.field = field;
        }

        /** The DestinationRule field that sets it. */
        public String field() {
            return field;
        }
    }

    /** Told of every refusal (metrics). */
    public interface OverflowListener {
        void overflowed(ClusterLimits limits, Limit limit);
    }

    private final String cluster;
    private final String host;
    private final PoolSettings settings;
    private final OverflowListener listener;
    private final Deque<Admission> pending = new ArrayDeque<>();
    private int active;
    private final AtomicInteger retries = new AtomicInteger();

    public ClusterLimits(String cluster, String host, PoolSettings settings, OverflowListener listener) {
        this.cluster = cluster;
        this.host = host;
        this.settings = settings;
        this.listener = listener;
    }

    public String cluster() {
        return cluster;
    }

    public String host() {
        return host;
    }

    public PoolSettings settings() {
        return settings;
    }

    /**
     * Asks to send one request. Either it is refused now ({@link Admission#overflow()} is not null), or it is admitted
     * once {@link Admission#ready()} completes (at once when a connection is free, else when one frees up). The caller
     * calls {@link Admission#release()} when the exchange ends, however it ends (also when it never started).
     */
    public Admission admit() {
        if (!settings.limitsRequests()) {
            return Admission.FREE;
        }
        Admission admission = new Admission(this);
        synchronized (this) {
            if (active >= settings.maxRequests()) {
                admission.refuse(Limit.MAX_REQUESTS);
            } else if (active < settings.maxConnections()) {
                active++;
                admission.holding = true;
            } else if (pending.size() >= settings.maxPendingRequests()) {
                admission.refuse(settings.maxPendingRequests() == 0 ? Limit.MAX_CONNECTIONS : Limit.MAX_PENDING_REQUESTS);
            } else {
                pending.addLast(admission); // the place is taken now, not when the caller subscribes
                admission.ready = Mono.create(sink -> {
                    boolean now;
                    synchronized (this) {
                        now = admission.holding;
                        if (!now) {
                            admission.sink = sink;
                        }
                    }
                    if (now) {
                        sink.success();
                    }
                });
            }
        }
        if (admission.overflow != null) {
            listener.overflowed(this, admission.overflow);
        }
        return admission;
    }

    /** Requests holding a connection now. */
    public synchronized int active() {
        return active;
    }

    /** Requests waiting for a connection now. */
    public synchronized int pending() {
        return pending.size();
    }

    /** Takes one retry permit of the cluster; false (and an overflow counted) when {@code maxRetries} are in flight. */
    public boolean tryAcquireRetry() {
        int max = settings.maxRetries();
        for (;;) {
            int now = retries.get();
            if (now >= max) {
                listener.overflowed(this, Limit.MAX_RETRIES);
                return false;
            }
            if (retries.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a permit taken by {@link #tryAcquireRetry()}. */
    public void releaseRetry() {
        retries.updateAndGet(n -> Math.max(0, n - 1));
    }

    /** Retries in flight now. */
    public int retries() {
        return retries.get();
    }

    private void release(Admission admission) {
        Admission next = null;
        synchronized (this) {
            if (admission.released) {
                return;
            }
            admission.released = true;
            if (!admission.holding) {
                pending.remove(admission);
                return;
            }
            active--;
            if (!pending.isEmpty() && active < settings.maxConnections()) {
                next = pending.pollFirst();
                active++;
                next.holding = true;
            }
        }
        if (next != null && next.sink != null) {
            next.sink.success();
        }
    }

    /** One request's place: refused, holding a connection, or waiting for one. */
    public static final class Admission {

        static final Admission FREE = new Admission(null);

        private final ClusterLimits limits;
        private Limit overflow;
        private Mono<Void> ready = Mono.empty();
        private boolean holding;
        private boolean released;
        private MonoSink<Void> sink;

        private Admission(ClusterLimits limits) {
            this.limits = limits;
        }

        private void refuse(Limit limit) {
            overflow = limit;
            released = true;
        }

        /** The limit that refused the request, or null when it is (or will be) admitted. */
        public Limit overflow() {
            return overflow;
        }

        /** Completes when the request holds a connection. */
        public Mono<Void> ready() {
            return ready;
        }

        /** Frees the connection (or the place in the queue) for the next request; idempotent. */
        public void release() {
            if (limits != null) {
                limits.release(this);
            }
        }
    }
}
