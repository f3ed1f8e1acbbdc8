package dev.gatemesh.proxy.ratelimit;

import dev.gatemesh.proxy.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatemesh.proxy.ratelimit.RateLimitRule.Backend;
import dev.gatemesh.proxy.ratelimit.RateLimitRule.Unit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LocalRateLimiterTests {

    private final MutableClock clock = new MutableClock();

    private static RateLimitRule rule(long rate, Unit unit, long burst) {
        return new RateLimitRule("api", List.of(), null, RateLimitKey.clientIp(), rate, unit, burst, Backend.LOCAL);
    }

    private static List<RateLimitDecision> take(LocalRateLimiter limiter, RateLimitRule rule, String key, int times) {
        return IntStream.range(0, times).mapToObj(i -> limiter.tryAcquire(rule, key).block()).toList();
    }

    @Test
    void allowsTheBurstThenRefusesWithTheTimeUntilTheNextToken() {
        LocalRateLimiter limiter = new LocalRateLimiter(clock);
        RateLimitRule rule = rule(5, Unit.MINUTE, 5);

        List<RateLimitDecision> burst = take(limiter, rule, "10.0.0.1", 5);
        assertThat(burst).allMatch(RateLimitDecision::allowed);
        assertThat(burst).extracting(RateLimitDecision::remaining).containsExactly(4L, 3L, 2L, 1L, 0L);

        RateLimitDecision refused = limiter.tryAcquire(rule, "10.0.0.1").block();
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(12));
        assertThat(refused.retryAfterSeconds()).isEqualTo(12);
        assertThat(refused.backendFailed()).isFalse();
    }

    @Test
    void retryAfterShrinksAsTimePassesAndIsRoundedUpToWholeSeconds() {
        LocalRateLimiter limiter = new LocalRateLimiter(clock);
        RateLimitRule rule = rule(1, Unit.MINUTE, 1);
        take(limiter, rule, "k", 1);

        clock.advance(Duration.ofMillis(59_500));
        RateLimitDecision refused = limiter.tryAcquire(rule, "k").block();
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(500));
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void refillsAtTheConfiguredRateUpToTheBurst() {
        LocalRateLimiter limiter = new LocalRateLimiter(clock);
        RateLimitRule rule = rule(10, Unit.SECOND, 3);
        assertThat(take(limiter, rule, "k", 3)).allMatch(RateLimitDecision::allowed);
        assertThat(limiter.tryAcquire(rule, "k").block().allowed()).isFalse();

        clock.advance(Duration.ofMillis(99));
        assertThat(limiter.tryAcquire(rule, "k").block().retryAfter()).isEqualTo(Duration.ofMillis(1));
        clock.advance(Duration.ofMillis(1));
        assertThat(limiter.tryAcquire(rule, "k").block().allowed()).isTrue();
        assertThat(limiter.tryAcquire(rule, "k").block().allowed()).isFalse();

        clock.advance(Duration.ofHours(1));
        List<RateLimitDecision> afterQuiet = take(limiter, rule, "k", 4);
        assertThat(afterQuiet).extracting(RateLimitDecision::allowed).containsExactly(true, true, true, false);
    }

    @Test
    void burstDefaultsToTheRate() {
        RateLimitRule rule = new RateLimitRule("api", List.of(), null, RateLimitKey.clientIp(), 3, Unit.HOUR, Backend.LOCAL);
        assertThat(rule.burst()).isEqualTo(3);
        LocalRateLimiter limiter = new LocalRateLimiter(clock);
        assertThat(take(limiter, rule, "k", 4)).extracting(RateLimitDecision::allowed)
                .containsExactly(true, true, true, false);
    }

    @Test
    void keysAndRulesHaveIndependentBuckets() {
        LocalRateLimiter limiter = new LocalRateLimiter(clock);
        RateLimitRule rule = rule(1, Unit.HOUR, 1);
        RateLimitRule other = new RateLimitRule("other", List.of(), null, RateLimitKey.clientIp(), 1, Unit.HOUR, 1,
                Backend.LOCAL);
        assertThat(limiter.tryAcquire(rule, "a").block().allowed()).isTrue();
        assertThat(limiter.tryAcquire(rule, "a").block().allowed()).isFalse();
        assertThat(limiter.tryAcquire(rule, "b").block().allowed()).isTrue();
        assertThat(limiter.tryAcquire(other, "a").block().allowed()).isTrue();
    }

    @Test
    void concurrentRequestsNeverGetMoreThanTheBurst() throws Exception {
        LocalRateLimiter limiter = new LocalRateLimiter(clock);
        RateLimitRule rule = rule(100, Unit.HOUR, 100);
        AtomicInteger allowed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                tasks.add(() -> {
                    for (int i = 0; i < 500; i++) {
                        if (limiter.acquire(rule, "shared").allowed()) {
                            allowed.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(allowed).hasValue(100);
    }

    @Test
    void aFloodOfUniqueKeysStaysWithinTheCapByEvictingTheStalest() {
        LocalRateLimiter limiter = new LocalRateLimiter(clock, 100);
        RateLimitRule rule = rule(1, Unit.HOUR, 1);
        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.tryAcquire(rule, "flood-" + i).block().allowed()).isTrue();
            assertThat(limiter.size()).isLessThanOrEqualTo(100);
            clock.advance(Duration.ofMillis(1));
        }
        // The most recent keys are still limited; the oldest were forgotten and start with a full bucket.
        assertThat(limiter.tryAcquire(rule, "flood-9999").block().allowed()).isFalse();
        assertThat(limiter.tryAcquire(rule, "flood-0").block().allowed()).isTrue();
    }

    @Test
    void dropsBucketsThatHaveRefilledCompletely() {
        LocalRateLimiter limiter = new LocalRateLimiter(clock);
        RateLimitRule fast = rule(10, Unit.SECOND, 10);
        RateLimitRule slowRule = new RateLimitRule("slow", List.of(), null, RateLimitKey.clientIp(), 1, Unit.HOUR, 1,
                Backend.LOCAL);
        for (int i = 0; i < 50; i++) {
            limiter.tryAcquire(fast, "idle-" + i).block();
        }
        limiter.tryAcquire(slowRule, "busy").block();
        assertThat(limiter.size()).isEqualTo(51);

        clock.advance(Duration.ofMinutes(2));
        limiter.tryAcquire(slowRule, "trigger").block();

        // The fast buckets filled up long ago and were dropped; the hour-long one still remembers its request.
        assertThat(limiter.size()).isEqualTo(2);
        assertThat(limiter.tryAcquire(slowRule, "busy").block().allowed()).isFalse();
    }

    @Test
    void timeGoingBackwardsAddsNoTokens() {
        LocalRateLimiter limiter = new LocalRateLimiter(clock);
        RateLimitRule rule = rule(1, Unit.SECOND, 1);
        take(limiter, rule, "k", 1);
        clock.advance(Duration.ofSeconds(-30));
        assertThat(limiter.tryAcquire(rule, "k").block().allowed()).isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(limiter.tryAcquire(rule, "k").block().allowed()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire(rule, "k").block().allowed()).isTrue();
    }

    @Test
    void rejectsANonPositiveKeyCap() {
        assertThatThrownBy(() -> new LocalRateLimiter(clock, 0)).hasMessage("maxKeys: must be > 0, was 0");
    }
}
