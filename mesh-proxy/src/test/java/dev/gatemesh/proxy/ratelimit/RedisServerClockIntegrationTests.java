package dev.gatemesh.proxy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real {@code redis-server}. */
class RedisServerClockIntegrationTests {

    private RedisServerProcess redis;
    private RedisClient client;
    private StatefulRedisConnection<String, byte[]> connection;

    @BeforeEach
    void connect() throws Exception {
        redis = RedisServerProcess.start();
        client = RedisClient.create(redis.uri());
        connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    }

    @AfterEach
    void close() throws Exception {
        connection.close();
        client.shutdown();
        redis.close();
    }

    private long serverTimeNanos() {
        List<byte[]> reply = connection.sync().time();
        return Long.parseLong(new String(reply.get(0), StandardCharsets.US_ASCII)) * 1_000_000_000L
                + Long.parseLong(new String(reply.get(1), StandardCharsets.US_ASCII)) * 1_000L;
    }

    @Test
    void readsTheServersTime() throws Exception {
        RedisServerClock clock = RedisServerClock.of(connection.async()).get();
        // TIME has microseconds, and the offset is known to within half a round trip on loopback.
        long slack = Duration.ofMillis(5).toNanos();
        for (int i = 0; i < 3; i++) {
            long before = serverTimeNanos();
            long reading = clock.currentTimeNanos();
            long after = serverTimeNanos();
            assertThat(reading).isBetween(before - slack, after + slack);
        }
    }

    @Test
    void readingsSendNoCommandToTheServer() throws Exception {
        RedisServerClock clock = RedisServerClock.of(connection.async()).get();
        connection.sync().configResetstat();
        for (int i = 0; i < 1000; i++) {
            clock.currentTimeNanos();
        }
        assertThat(connection.sync().info("commandstats")).doesNotContain("cmdstat_time");
    }
}
