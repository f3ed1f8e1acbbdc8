package dev.gatemesh.proxy.ratelimit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Token buckets in Redis, shared by every gateway replica: one Lua script takes a token atomically from the hash
 * {@code gatemesh:rl:<rule>:<key>} ({@code c} credits, {@code t} last update), which expires after twice the time the
 * bucket takes to fill. The script is sent by its SHA-1 ({@code EVALSHA}) and in full ({@code EVAL}) when Redis does
 * not know it yet (a restart, a failover, {@code SCRIPT FLUSH}).
 *
 * <p>Time is the Redis server's {@code TIME}, read inside the script: replicas whose clocks disagree would otherwise
 * refill the same bucket at different speeds (a replica behind adds nothing, one ahead adds tokens from the future).
 * This needs Redis 5 or later (scripts replicated by effects).
 *
 * <p>When Redis does not answer within the timeout, the failure policy decides: fail-open lets the request pass,
 * fail-closed refuses it for one second; both mark the decision {@link RateLimitDecision#backendFailed()} and log a
 * warning at most once a minute. Lettuce reconnects in the background; until then commands fail at once.
 */
public final class RedisRateLimiter implements RateLimiter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);

    static final String SCRIPT = script();
    static final String SHA = sha1(SCRIPT);
    private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);
    private static final Duration CONNECT_RETRY_INTERVAL = Duration.ofSeconds(1);
    private static final Duration FAIL_CLOSED_RETRY_AFTER = Duration.ofSeconds(1);

    private final RedisClient client;
    private final RedisURI uri;
    private final Duration timeout;
    private final boolean failOpen;
    private final Clock clock;
    private final boolean serverTime;
    private final AtomicLong nextWarningMillis = new AtomicLong(Long.MIN_VALUE);
    private volatile CompletableFuture<StatefulRedisConnection<String, String>> connection;
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
        String[] keys = {"gatemesh:rl:" + rule.name() + ":" + key};
        long capacity = TokenBucket.capacity(rule);
        long ttlMillis = Math.max(1000, 2 * TokenBucket.ceilDiv(TokenBucket.untilFullMicros(rule, 0), 1000));
        String[] args = serverTime
                ? new String[] {Long.toString(capacity), Long.toString(rule.requestsPerUnit()),
                        Long.toString(TokenBucket.creditsPerToken(rule)), Long.toString(ttlMillis)}
                : new String[] {Long.toString(capacity), Long.toString(rule.requestsPerUnit()),
                        Long.toString(TokenBucket.creditsPerToken(rule)), Long.toString(ttlMillis),
                        Long.toString(LocalRateLimiter.micros(clock.instant()))};
        return Mono.defer(() -> Mono.fromFuture(connection(), true))
                .flatMap(connection -> run(connection.reactive(), keys, args))
                .timeout(timeout)
                .map(RedisRateLimiter::decision)
                .onErrorResume(error -> Mono.just(onFailure(rule, error)));
    }

    private Mono<List<Object>> run(RedisReactiveCommands<String, String> redis, String[] keys, String[] args) {
        return redis.<List<Object>>evalsha(SHA, ScriptOutputType.MULTI, keys, args).next()
                .onErrorResume(RedisNoScriptException.class,
                        missing -> redis.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys, args).next());
    }

    private static RateLimitDecision decision(List<Object> reply) {
        long allowed = (Long) reply.get(0);
        long remaining = (Long) reply.get(1);
        long waitMicros = (Long) reply.get(2);
        return allowed == 1
                ? RateLimitDecision.allowed(remaining)
                : RateLimitDecision.limited(Duration.ofNanos(Math.max(1, waitMicros) * 1000));
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

    /** The connection, or a new attempt when the last one failed more than a second ago, or that failure. */
    private CompletableFuture<StatefulRedisConnection<String, String>> connection() {
        CompletableFuture<StatefulRedisConnection<String, String>> current = connection;
        if (current != null && !current.isCompletedExceptionally()) {
            return current;
        }
        synchronized (this) {
            current = connection;
            if (current != null && !current.isCompletedExceptionally()) {
                return current;
            }
            long now = clock.millis();
            if (current != null && now < nextConnectMillis) {
                return current;
            }
            nextConnectMillis = now + CONNECT_RETRY_INTERVAL.toMillis();
            connection = client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
            if (current == null) {
                log.debug("Connecting to Redis at {}:{} for rate limits", uri.getHost(), uri.getPort());
            } else {
                log.debug("Connecting to Redis at {}:{} again", uri.getHost(), uri.getPort());
            }
            return connection;
        }
    }

    @Override
    public void close() {
        CompletableFuture<StatefulRedisConnection<String, String>> current = connection;
        if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
            current.join().close();
        }
        client.shutdown(Duration.ZERO, timeout);
    }

    private static String script() {
        try (InputStream in = RedisRateLimiter.class.getResourceAsStream("token-bucket.lua")) {
            if (in == null) {
                throw new IllegalStateException("token-bucket.lua is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JVM", e);
        }
    }
}
