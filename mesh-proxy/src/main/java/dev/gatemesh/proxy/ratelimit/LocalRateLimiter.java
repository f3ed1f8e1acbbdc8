package dev.gatemesh.proxy.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import reactor.core.publisher.Mono;

/**
 * Bucket4j token buckets in this process, one per rule and key: each gateway replica limits on its own (a rule
 * allowing N lets M replicas pass up to M×N). Buckets run on the given clock.
 *
 * <p>Memory is bounded: buckets that have refilled completely are dropped (a new bucket is full, so nothing is lost)
 * once a minute, and when {@code maxKeys} buckets exist, the least recently used ones are dropped down to 90% of it.
 * A flood of unique keys therefore cannot grow memory, at the price of forgetting the stalest clients' usage.
 * A bucket is used and dropped only under the map's lock for its key, so no request takes a token from a bucket
 * that is being forgotten; the buckets themselves therefore need no synchronization of their own.
 */
public final class LocalRateLimiter implements RateLimiter {

    public static final int DEFAULT_MAX_KEYS = 100_000;

    private static final long SWEEP_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private record BucketKey(RateLimitRule rule, String key) {
    }

    private static final class Entry {
        final Bucket bucket;
        volatile long usedNanos;

        Entry(Bucket bucket) {
            this.bucket = bucket;
        }
    }

    private final TimeMeter time;
    private final int maxKeys;
    private final ConcurrentHashMap<BucketKey, Entry> buckets = new ConcurrentHashMap<>();
    private final ReentrantLock sweeping = new ReentrantLock();
    private volatile long nextSweepNanos;

    public LocalRateLimiter(Clock clock) {
        this(clock, DEFAULT_MAX_KEYS);
    }

    public LocalRateLimiter(Clock clock, int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys: must be > 0, was " + maxKeys);
        }
        this.time = Bucket4jRules.timeMeter(clock);
        this.maxKeys = maxKeys;
        this.nextSweepNanos = time.currentTimeNanos() + SWEEP_INTERVAL_NANOS;
    }

    @Override
    public Mono<RateLimitDecision> tryAcquire(RateLimitRule rule, String key) {
        return Mono.fromSupplier(() -> acquire(rule, key));
    }

    RateLimitDecision acquire(RateLimitRule rule, String key) {
        long now = time.currentTimeNanos();
        BucketKey id = new BucketKey(rule, key);
        if (now >= nextSweepNanos || (buckets.size() >= maxKeys && !buckets.containsKey(id))) {
            sweep(now);
        }
        ConsumptionProbe[] probe = new ConsumptionProbe[1];
        buckets.compute(id, (k, entry) -> {
            Entry used = entry != null ? entry : new Entry(Bucket.builder()
                    .addLimit(Bucket4jRules.bandwidth(rule))
                    .withCustomTimePrecision(time)
                    .withSynchronizationStrategy(SynchronizationStrategy.NONE)
                    .build());
            used.usedNanos = now;
            probe[0] = used.bucket.tryConsumeAndReturnRemaining(1);
            return used;
        });
        return Bucket4jRules.decision(probe[0]);
    }

    /** How many buckets are held. */
    int size() {
        return buckets.size();
    }

    /** Drops full buckets, then the least recently used down to 90% of the cap; one sweeper at a time. */
    private void sweep(long now) {
        if (!sweeping.tryLock()) {
            return;
        }
        try {
            nextSweepNanos = now + SWEEP_INTERVAL_NANOS;
            buckets.keySet().forEach(id -> buckets.computeIfPresent(id,
                    (k, entry) -> entry.bucket.getAvailableTokens() >= k.rule().burst() ? null : entry));
            int target = Math.max(0, maxKeys - Math.max(1, maxKeys / 10));
            int excess = buckets.size() - target;
            if (excess <= 0) {
                return;
            }
            // Use times are copied: the sort must not see them change.
            record Candidate(BucketKey id, long usedNanos) {
            }
            List<Candidate> candidates = new ArrayList<>(buckets.size());
            buckets.forEach((id, entry) -> candidates.add(new Candidate(id, entry.usedNanos)));
            candidates.sort(Comparator.comparingLong(Candidate::usedNanos));
            candidates.stream().limit(excess).forEach(stalest -> buckets.remove(stalest.id()));
        } finally {
            sweeping.unlock();
        }
    }
}
