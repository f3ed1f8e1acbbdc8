package dev.gatemesh.proxy.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import reactor.core.publisher.Mono;

/**
 * Token buckets in this process: each gateway replica limits on its own (a rule allowing N lets M replicas pass up to
 * M×N). One lock per bucket, none shared on the request path.
 *
 * <p>Memory is bounded: buckets that have refilled completely are dropped (a new bucket is full, so nothing is lost)
 * once a minute, and when {@code maxKeys} buckets exist, the least recently used ones are dropped down to 90% of it.
 * A flood of unique keys therefore cannot grow memory, at the price of forgetting the stalest clients' usage.
 */
public final class LocalRateLimiter implements RateLimiter {

    public static final int DEFAULT_MAX_KEYS = 100_000;

    private static final long SWEEP_INTERVAL_MICROS = Duration.ofMinutes(1).toNanos() / 1000;

    private record BucketKey(String rule, String key) {
    }

    /** Guarded by its own monitor; {@code evicted} tells a request that raced with a sweep to look the bucket up again. */
    private static final class Bucket {
        long credits;
        long updatedMicros;
        long fullAtMicros;
        boolean evicted;

        Bucket(long credits, long nowMicros) {
            this.credits = credits;
            this.updatedMicros = nowMicros;
            this.fullAtMicros = nowMicros;
        }

        RateLimitDecision take(RateLimitRule rule, long nowMicros) {
            credits = TokenBucket.refill(rule, credits, nowMicros - updatedMicros);
            updatedMicros = Math.max(updatedMicros, nowMicros);
            long perToken = TokenBucket.creditsPerToken(rule);
            RateLimitDecision decision;
            if (credits >= perToken) {
                credits -= perToken;
                decision = RateLimitDecision.allowed(credits / perToken);
            } else {
                decision = RateLimitDecision.limited(Duration.ofNanos(TokenBucket.waitMicros(rule, credits) * 1000));
            }
            fullAtMicros = updatedMicros + TokenBucket.untilFullMicros(rule, credits);
            return decision;
        }
    }

    private final Clock clock;
    private final int maxKeys;
    private final Map<BucketKey, Bucket> buckets = new ConcurrentHashMap<>();
    private final ReentrantLock sweeping = new ReentrantLock();
    private volatile long nextSweepMicros;

    public LocalRateLimiter(Clock clock) {
        this(clock, DEFAULT_MAX_KEYS);
    }

    public LocalRateLimiter(Clock clock, int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys: must be > 0, was " + maxKeys);
        }
        this.clock = clock;
        this.maxKeys = maxKeys;
        this.nextSweepMicros = micros(clock.instant()) + SWEEP_INTERVAL_MICROS;
    }

    @Override
    public Mono<RateLimitDecision> tryAcquire(RateLimitRule rule, String key) {
        return Mono.fromSupplier(() -> acquire(rule, key));
    }

    RateLimitDecision acquire(RateLimitRule rule, String key) {
        long now = micros(clock.instant());
        if (now >= nextSweepMicros) {
            sweep(now);
        }
        BucketKey id = new BucketKey(rule.name(), key);
        while (true) {
            Bucket bucket = buckets.get(id);
            if (bucket == null) {
                if (buckets.size() >= maxKeys) {
                    sweep(now);
                }
                bucket = buckets.computeIfAbsent(id, k -> new Bucket(TokenBucket.capacity(rule), now));
            }
            synchronized (bucket) {
                if (!bucket.evicted) {
                    return bucket.take(rule, now);
                }
            }
        }
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
            nextSweepMicros = now + SWEEP_INTERVAL_MICROS;
            buckets.forEach((id, bucket) -> {
                synchronized (bucket) {
                    if (bucket.fullAtMicros <= now) {
                        evict(id, bucket);
                    }
                }
            });
            int target = Math.max(0, maxKeys - Math.max(1, maxKeys / 10));
            int excess = buckets.size() - target;
            if (excess <= 0) {
                return;
            }
            // Timestamps are read without the buckets' locks and copied: a stale one only changes which idle bucket
            // goes first, and the sort must not see them change.
            record Candidate(BucketKey id, Bucket bucket, long updatedMicros) {
            }
            List<Candidate> candidates = new ArrayList<>(buckets.size());
            buckets.forEach((id, bucket) -> candidates.add(new Candidate(id, bucket, bucket.updatedMicros)));
            candidates.sort(Comparator.comparingLong(Candidate::updatedMicros));
            for (int i = 0; i < excess && i < candidates.size(); i++) {
                Candidate stalest = candidates.get(i);
                synchronized (stalest.bucket()) {
                    evict(stalest.id(), stalest.bucket());
                }
            }
        } finally {
            sweeping.unlock();
        }
    }

    private void evict(BucketKey id, Bucket bucket) {
        bucket.evicted = true;
        buckets.remove(id, bucket);
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }
}
