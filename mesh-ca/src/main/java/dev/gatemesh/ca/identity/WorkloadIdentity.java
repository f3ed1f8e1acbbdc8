package dev.gatemesh.ca.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a proxy's certificate current: obtains the first one (the proxy is not ready before), then
 * renews at half its lifetime with jitter (so that a fleet does not renew at once), swapping the
 * material whole. A failed renewal is retried with backoff while the current certificate is valid.
 */
public final class WorkloadIdentity implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkloadIdentity.class);

    /** Gets a new certificate (a new key each time). */
    @FunctionalInterface
    public interface Issuer {
        IdentityMaterial issue() throws IssueFailed;
    }

    private final Issuer issuer;
    private final Clock clock;
    private final RandomGenerator random;
    private final ScheduledExecutorService scheduler;
    private final Duration retry;
    private final AtomicReference<IdentityMaterial> current = new AtomicReference<>();
    private final List<Consumer<IdentityMaterial>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /**
     * @param retry how long to wait before trying again after a failed issue
     */
    public WorkloadIdentity(Issuer issuer, Clock clock, RandomGenerator random, ScheduledExecutorService scheduler,
                            Duration retry) {
        this.issuer = issuer;
        this.clock = clock;
        this.random = random;
        this.scheduler = scheduler;
        this.retry = retry;
    }

    /** Called with the new material after every rotation (e.g. to drop cached TLS sessions). */
    public void onRotation(Consumer<IdentityMaterial> listener) {
        listeners.add(listener);
    }

    /** Obtains the first certificate, then keeps it renewed. Returns when the first one is in place. */
    public IdentityMaterial start() throws IssueFailed {
        IdentityMaterial first = issuer.issue();
        current.set(first);
        log.info("Workload certificate {} (serial {}) valid until {}", first.identity(), first.serial(), first.notAfter());
        scheduleRenewal(first);
        return first;
    }

    public IdentityMaterial current() {
        IdentityMaterial material = current.get();
        if (material == null) {
            throw new IllegalStateException("the workload has no certificate yet");
        }
        return material;
    }

    public boolean isReady() {
        IdentityMaterial material = current.get();
        return material != null && material.notAfter().isAfter(clock.instant());
    }

    /**
     * When to renew: half the lifetime, with up to a tenth of the lifetime of jitter either way. The
     * lifetime counts from when the certificate was obtained, not from its notBefore (which the CA
     * backdates against clock skew): a short-lived certificate is not renewed at once.
     */
    Instant renewalTime(IdentityMaterial material, Instant obtainedAt) {
        Instant start = material.notBefore().isAfter(obtainedAt) ? material.notBefore() : obtainedAt;
        Duration lifetime = Duration.between(start, material.notAfter());
        if (lifetime.isNegative()) {
            return obtainedAt;
        }
        long jitterRange = lifetime.toMillis() / 5;
        long jitter = jitterRange == 0 ? 0 : (long) (random.nextDouble() * jitterRange) - jitterRange / 2;
        return start.plus(lifetime.dividedBy(2)).plusMillis(jitter);
    }

    private void scheduleRenewal(IdentityMaterial material) {
        Instant now = clock.instant();
        long delay = Math.max(0, Duration.between(now, renewalTime(material, now)).toMillis());
        schedule(this::renew, delay);
    }

    /** Gets a new certificate at once (the CA changed); the regular schedule continues from it. */
    public void renewNow() {
        schedule(this::renew, 0);
    }

    private void renew() {
        if (closed) {
            return;
        }
        try {
            IdentityMaterial next = issuer.issue();
            current.set(next);
            log.info("Rotated the workload certificate {} to serial {}, valid until {}", next.identity(), next.serial(),
                    next.notAfter());
            listeners.forEach(listener -> listener.accept(next));
            scheduleRenewal(next);
        } catch (IssueFailed | RuntimeException e) {
            log.warn("Renewing the workload certificate failed (the current one is valid until {}): {}",
                    current.get().notAfter(), e.getMessage());
            schedule(this::renew, retry.toMillis());
        }
    }

    private void schedule(Runnable task, long delayMillis) {
        if (!closed) {
            scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
