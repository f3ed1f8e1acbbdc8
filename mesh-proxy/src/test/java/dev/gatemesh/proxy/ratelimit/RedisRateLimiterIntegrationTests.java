package dev.gatemesh.proxy.ratelimit;

import dev.gatemesh.proxy.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.proxy.ratelimit.RateLimitRule.Backend;
import dev.gatemesh.proxy.ratelimit.RateLimitRule.Unit;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** Against a real {@code redis-server} started for each test. */
class RedisRateLimiterIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final MutableClock clock = new MutableClock();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private RedisServerProcess redis;

    @BeforeEach
    void startRedis() throws Exception {
        redis = open(RedisServerProcess.start());
    }

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T open(T resource) {
        resources.add(resource);
        return resource;
    }

    private RedisRateLimiter limiter(boolean failOpen) {
        return open(new RedisRateLimiter(new RateLimitProperties.Redis(redis.uri(), TIMEOUT, failOpen), clock));
    }

    /** A limiter on the test's clock instead of the server's TIME, for exact refill arithmetic. */
    private RedisRateLimiter limiterOnTestClock() {
        return open(new RedisRateLimiter(new RateLimitProperties.Redis(redis.uri(), TIMEOUT, true), clock, false));
    }

    private RedisCommands<String, String> redisCommands() {
        RedisClient client = RedisClient.create(redis.uri());
        StatefulRedisConnection<String, String> connection = client.connect();
        open(client::shutdown);
        open(connection);
        return connection.sync();
    }

    private static RateLimitRule rule(long rate, Unit unit, long burst) {
        return new RateLimitRule("api", List.of(), null, RateLimitKey.clientIp(), rate, unit, burst, Backend.REDIS);
    }

    private static RateLimitDecision take(RateLimiter limiter, RateLimitRule rule, String key) {
        return limiter.tryAcquire(rule, key).block();
    }

    @Test
    void allowsTheBurstThenRefusesWithRetryAfter() {
        RedisRateLimiter limiter = limiter(true);
        RateLimitRule rule = rule(3, Unit.HOUR, 3);

        assertThat(List.of(take(limiter, rule, "10.0.0.1"), take(limiter, rule, "10.0.0.1"), take(limiter, rule, "10.0.0.1")))
                .allMatch(RateLimitDecision::allowed)
                .extracting(RateLimitDecision::remaining).containsExactly(2L, 1L, 0L);
        RateLimitDecision refused = take(limiter, rule, "10.0.0.1");

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.backendFailed()).isFalse();
        assertThat(refused.retryAfter()).isBetween(Duration.ofMinutes(19), Duration.ofMinutes(20));
        assertThat(take(limiter, rule, "10.0.0.2").allowed()).isTrue();
    }

    @Test
    void keepsEachBucketInOneKeyThatExpiresASecondAfterItWouldBeFull() {
        RedisRateLimiter limiter = limiter(true);
        take(limiter, rule(1, Unit.MINUTE, 2), "10.0.0.1");

        RedisCommands<String, String> commands = redisCommands();
        assertThat(commands.keys("gatemesh:rl:*")).containsExactly("gatemesh:rl:api:1/MINUTE/2:10.0.0.1");
        // One token to refill at one a minute, then a second.
        assertThat(commands.pttl("gatemesh:rl:api:1/MINUTE/2:10.0.0.1")).isBetween(Duration.ofSeconds(59).toMillis(),
                Duration.ofSeconds(61).toMillis());
    }

    @Test
    void gatewayReplicasShareOneBucket() {
        RedisRateLimiter replicaA = limiter(true);
        RedisRateLimiter replicaB = limiter(true);
        RateLimitRule rule = rule(3, Unit.HOUR, 3);

        assertThat(take(replicaA, rule, "alice").allowed()).isTrue();
        assertThat(take(replicaB, rule, "alice").allowed()).isTrue();
        assertThat(take(replicaA, rule, "alice").remaining()).isZero();
        assertThat(take(replicaB, rule, "alice").allowed()).isFalse();
        assertThat(take(replicaA, rule, "alice").allowed()).isFalse();
        assertThat(take(replicaB, rule, "bob").allowed()).isTrue();
    }

    @Test
    void concurrentChecksOfOneKeyAreBatchedAndEachTakesItsToken() {
        RedisRateLimiter limiter = limiterOnTestClock();
        RateLimitRule rule = rule(1, Unit.HOUR, 1000);
        take(limiter, rule, "busy");
        RedisCommands<String, String> commands = redisCommands();
        commands.configResetstat();

        List<RateLimitDecision> decisions = Flux.range(0, 200).flatMap(i -> limiter.tryAcquire(rule, "busy"), 64)
                .collectList().block();

        assertThat(decisions).allMatch(RateLimitDecision::allowed).noneMatch(RateLimitDecision::backendFailed);
        assertThat(take(limiter, rule, "busy").remaining()).isEqualTo(1000 - 202);
        // Without batching every check is at least one compare-and-swap script, and most of them fail and retry.
        assertThat(evalCalls(commands)).isLessThan(100);
    }

    private static long evalCalls(RedisCommands<String, String> commands) {
        return commands.info("commandstats").lines().filter(line -> line.startsWith("cmdstat_eval:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll(".*calls=(\\d+),.*", "$1"))).sum();
    }

    @Test
    void refillsOnTheServersClock() {
        RedisRateLimiter limiter = limiter(true);
        RateLimitRule rule = rule(1, Unit.SECOND, 1);

        RateLimitDecision refused = null;
        for (int i = 0; i < 100 && refused == null; i++) {
            RateLimitDecision decision = take(limiter, rule, "k");
            refused = decision.allowed() ? null : decision;
        }
        assertThat(refused).as("refused once the single token is spent").isNotNull();
        assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
        await("a token refilled").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> take(limiter, rule, "k").allowed());
    }

    @Test
    void refillArithmeticMatchesTheLocalBucket() {
        RedisRateLimiter limiter = limiterOnTestClock();
        RateLimitRule rule = rule(10, Unit.SECOND, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(take(limiter, rule, "k").allowed()).isTrue();
        }
        assertThat(take(limiter, rule, "k").retryAfter()).isEqualTo(Duration.ofMillis(100));
        clock.advance(Duration.ofMillis(99));
        assertThat(take(limiter, rule, "k").retryAfter()).isEqualTo(Duration.ofMillis(1));
        clock.advance(Duration.ofMillis(1));
        assertThat(take(limiter, rule, "k").allowed()).isTrue();
        clock.advance(Duration.ofHours(1));
        assertThat(take(limiter, rule, "k").remaining()).isEqualTo(2);
    }

    @Test
    void largeBucketsAndTimestampsStayExactToTheMicrosecond() {
        // The largest bucket and rate a rule may have, refilled to the microsecond.
        clock.advance(Duration.ofNanos(123_000));
        RedisRateLimiter limiter = limiterOnTestClock();
        RateLimitRule rule = rule(RateLimitRuleValidator.MAX_RATE, Unit.HOUR, RateLimitRuleValidator.MAX_BURST);
        long burst = RateLimitRuleValidator.MAX_BURST;
        assertThat(take(limiter, rule, "k").remaining()).isEqualTo(burst - 1);
        assertThat(take(limiter, rule, "k").remaining()).isEqualTo(burst - 2);
        // One token every 3.6 ms.
        clock.advance(Duration.ofNanos(3_599_000));
        assertThat(take(limiter, rule, "k").remaining()).isEqualTo(burst - 3);
        clock.advance(Duration.ofNanos(1_000));
        assertThat(take(limiter, rule, "k").remaining()).isEqualTo(burst - 3);
    }

    @Test
    void aChangedLimitAppliesAtOnceToAFullBucket() {
        RedisRateLimiter limiter = limiter(true);
        assertThat(take(limiter, rule(1, Unit.HOUR, 1), "k").allowed()).isTrue();
        assertThat(take(limiter, rule(1, Unit.HOUR, 1), "k").allowed()).isFalse();

        RateLimitDecision raised = take(limiter, rule(5, Unit.HOUR, 5), "k");
        assertThat(raised.allowed()).isTrue();
        assertThat(raised.remaining()).isEqualTo(4);
    }

    @Test
    void failsOpenWhenRedisIsDown() throws Exception {
        RedisRateLimiter limiter = limiter(true);
        RateLimitRule rule = rule(1, Unit.HOUR, 1);
        assertThat(take(limiter, rule, "k").allowed()).isTrue();
        assertThat(take(limiter, rule, "k").allowed()).isFalse();

        redis.stop();

        RateLimitDecision decision = take(limiter, rule, "k");
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.backendFailed()).isTrue();
        assertThat(decision.remaining()).isEqualTo(-1);
    }

    @Test
    void failsClosedWhenConfiguredSo() throws Exception {
        RedisRateLimiter limiter = limiter(false);
        RateLimitRule rule = rule(5, Unit.HOUR, 5);
        assertThat(take(limiter, rule, "k").allowed()).isTrue();

        redis.stop();

        RateLimitDecision decision = take(limiter, rule, "k");
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.backendFailed()).isTrue();
        assertThat(decision.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void startsWhileRedisIsDownAndConnectsOnceItIsUp() throws Exception {
        int port = redis.port();
        redis.stop();
        RedisRateLimiter limiter = limiter(true);
        RateLimitRule rule = rule(5, Unit.HOUR, 5);
        assertThat(take(limiter, rule, "k").backendFailed()).isTrue();

        open(RedisServerProcess.startOn(port));
        // Reconnection is attempted at most once a second of the limiter's clock.
        assertThat(take(limiter, rule, "k").backendFailed()).isTrue();
        clock.advance(Duration.ofSeconds(1));

        RateLimitDecision decision = take(limiter, rule, "k");
        assertThat(decision.backendFailed()).isFalse();
        assertThat(decision.remaining()).isEqualTo(4);
    }
}
