package dev.gatemesh.proxy.ratelimit;

import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Bucket4j token buckets in Redis, shared by every gateway replica. A bucket is the key
 * {@code gatemesh:rl:<rule>:<rate>/<unit>/<burst>:<key>}, which Bucket4j updates by compare-and-swap and lets expire
 * a second after the bucket would be full again. The rule's limit is part of the key, so a changed limit applies at
 * once (to a new, full bucket) instead of when the old bucket expires. Checks of one key in flight together are
 * batched ({@link InFlightBuckets}), so a busy key does not turn into a storm of failed compare-and-swaps.
 *
 * <p>Time is the Redis server's ({@link RedisServerClock}), so replicas whose clocks disagree refill alike.
 *
 * <p>When Redis does not answer within the timeout, the failure policy decides: fail-open lets the request pass,
 * fail-closed refuses it for one second; both mark the decision {@link RateLimitDecision#backendFailed()} and log a
 * warning at most once a minute. Lettuce reconnects in the background; until then commands fail at once.
 */
public final class RedisRateLimiter implements RateLimiter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);

    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final Duration KEEP_FULL_BUCKETS = Duration.ofSeconds(1);
    private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);
    private static final Duration CONNECT_RETRY_INTERVAL = Duration.ofSeconds(1);
    private static final Duration FAIL_CLOSED_RETRY_AFTER = Duration.ofSeconds(1);

    /** A connection and the buckets on it. */
    private record Backend(StatefulRedisConnection<String, byte[]> connection, InFlightBuckets buckets) {
    }

    private final RedisClient client;
    private final RedisURI uri;
    private final Duration timeout;
    private final boolean failOpen;
    private final Clock clock;
    private final boolean serverTime;
    private final AtomicLong nextWarningMillis = new AtomicLong(Long.MIN_VALUE);
    private volatile CompletableFuture<Backend> backend;
    private long nextConnectMillis = Long.MIN_VALUE;

    /**
     * A limiter on the Redis of {@code settings}; it connects on first use (and again after a failed attempt, at most
     * once a second), so a gateway starts while Redis is down.
     *
     * @param clock paces the warnings and reconnection attempts; bucket time is the server's
     */
    public RedisRateLimiter(RateLimitProperties.Redis settings, Clock clock) {
        this(settings, clock, true);
    }

    /** With {@code serverTime} false, buckets run on {@code clock} instead of the server's TIME: for tests. */
    RedisRateLimiter(RateLimitProperties.Redis settings, Clock clock, boolean serverTime) {
        this.uri = RedisURI.create(settings.uri());
        this.uri.setTimeout(settings.timeout());
        this.timeout = settings.timeout();
        this.failOpen = settings.failOpen();
        this.clock = clock;
        this.serverTime = serverTime;
        this.client = RedisClient.create();
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(settings.timeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                .build());
    }

    @Override
    public Mono<RateLimitDecision> tryAcquire(RateLimitRule rule, String key) {
        String bucketKey = "gatemesh:rl:" + rule.name() + ":" + rule.requestsPerUnit() + "/" + rule.unit() + "/"
                + rule.burst() + ":" + key;
        return Mono.defer(() -> Mono.fromFuture(backend(), true))
                .flatMap(backend -> backend.buckets().tryConsumeOne(bucketKey, () -> Bucket4jRules.configuration(rule)))
                .timeout(timeout)
                .map(Bucket4jRules::decision)
                .onErrorResume(error -> Mono.just(onFailure(rule, error)));
    }

    private RateLimitDecision onFailure(RateLimitRule rule, Throwable error) {
        long now = clock.millis();
        long next = nextWarningMillis.get();
        if (now >= next && nextWarningMillis.compareAndSet(next, now + WARNING_INTERVAL.toMillis())) {
            log.warn("Rate limiting with Redis at {} failed (rule {}): {}; requests {} until Redis answers"
                            + " (this warning repeats at most once a minute)", uri.getHost() + ":" + uri.getPort(),
                    rule.name(), String.valueOf(error), failOpen ? "pass" : "are refused");
        }
        return failOpen
                ? new RateLimitDecision(true, -1, Duration.ZERO, true)
                : new RateLimitDecision(false, 0, FAIL_CLOSED_RETRY_AFTER, true);
    }

    /** The connected buckets, or a new attempt when the last one failed more than a second ago, or that failure. */
    private CompletableFuture<Backend> backend() {
        CompletableFuture<Backend> current = backend;
        if (current != null && !current.isCompletedExceptionally()) {
            return current;
        }
        synchronized (this) {
            current = backend;
            if (current != null && !current.isCompletedExceptionally()) {
                return current;
            }
            long now = clock.millis();
            if (current != null && now < nextConnectMillis) {
                return current;
            }
            nextConnectMillis = now + CONNECT_RETRY_INTERVAL.toMillis();
            log.debug("Connecting to Redis at {}:{} for rate limits{}", uri.getHost(), uri.getPort(),
                    current == null ? "" : " again");
            backend = client.connectAsync(CODEC, uri).toCompletableFuture().thenCompose(this::buckets);
            return backend;
        }
    }

    private CompletableFuture<Backend> buckets(StatefulRedisConnection<String, byte[]> connection) {
        CompletableFuture<? extends TimeMeter> time = serverTime
                ? RedisServerClock.of(connection.async())
                : CompletableFuture.completedFuture(Bucket4jRules.timeMeter(clock));
        return time.<Backend>thenApply(meter -> new Backend(connection, new InFlightBuckets(Bucket4jLettuce
                        .casBasedBuilder(connection)
                        .clientClock(meter)
                        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_FULL_BUCKETS))
                        .build()
                        .asAsync())))
                .whenComplete((connected, error) -> {
                    if (error != null) {
                        connection.closeAsync();
                    }
                });
    }

    @Override
    public void close() {
        CompletableFuture<Backend> current = backend;
        if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
            current.join().connection().close();
        }
        client.shutdown(Duration.ZERO, timeout);
    }
}
