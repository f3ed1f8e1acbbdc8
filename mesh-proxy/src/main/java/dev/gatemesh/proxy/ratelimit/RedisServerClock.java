package dev.gatemesh.proxy.ratelimit;

import io.github.bucket4j.TimeMeter;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Redis server's clock, for buckets shared by gateway replicas: replicas whose clocks disagree would otherwise
 * refill the same bucket at different speeds (one behind adds nothing, one ahead adds tokens from the future).
 *
 * <p>Bucket4j's Redis buckets compute on the client and ask their {@link TimeMeter} synchronously, on Lettuce's I/O
 * thread, so this clock never waits for Redis: it keeps the offset between this JVM's monotonic clock and the
 * server's {@code TIME}, measured when connecting and again in the background every minute, and adds it. Its reading
 * is the server's time to within half a round trip, whatever this machine's wall clock says.
 */
final class RedisServerClock implements TimeMeter {

    private static final long RESYNC_NANOS = Duration.ofMinutes(1).toNanos();

    private final RedisAsyncCommands<String, byte[]> redis;
    private final AtomicBoolean syncing = new AtomicBoolean();
    private volatile long offsetNanos;
    private volatile long syncedAtNanos;

    private RedisServerClock(RedisAsyncCommands<String, byte[]> redis) {
        this.redis = redis;
    }

    /** A clock on the server of {@code redis}, once its first {@code TIME} has answered. */
    static CompletableFuture<RedisServerClock> of(RedisAsyncCommands<String, byte[]> redis) {
        RedisServerClock clock = new RedisServerClock(redis);
        return clock.sync().thenApply(synced -> clock);
    }

    @Override
    public long currentTimeNanos() {
        long now = System.nanoTime();
        if (now - syncedAtNanos >= RESYNC_NANOS && syncing.compareAndSet(false, true)) {
            // A failed attempt keeps the last offset; the next reading tries again.
            sync().whenComplete((synced, error) -> syncing.set(false));
        }
        return now + offsetNanos;
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }

    private CompletableFuture<Void> sync() {
        long sent = System.nanoTime();
        return redis.time().toCompletableFuture().thenAccept(reply -> {
            long received = System.nanoTime();
            offsetNanos = serverNanos(reply) - (sent + (received - sent) / 2);
            syncedAtNanos = received;
        });
    }

    /** {@code TIME}'s reply: seconds and microseconds of the Unix time, as decimal strings. */
    private static long serverNanos(List<byte[]> reply) {
        long seconds = Long.parseLong(new String(reply.get(0), StandardCharsets.US_ASCII));
        long micros = Long.parseLong(new String(reply.get(1), StandardCharsets.US_ASCII));
        return seconds * 1_000_000_000L + micros * 1_000L;
    }
}
