package dev.gatemesh.proxy.ratelimit;

import dev.gatemesh.proxy.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatemesh.proxy.ratelimit.RateLimitRule.Backend;
import dev.gatemesh.proxy.ratelimit.RateLimitRule.Unit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class RateLimitsTests {

    private static final Function<String, String> NO_HEADERS = name -> null;

    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LocalRateLimiter local = new LocalRateLimiter(clock);

    private RateLimits limits(RateLimitRule... rules) {
        return new RateLimits(List.of(rules), Map.of(Backend.LOCAL, local), registry);
    }

    private static RateLimitDecision check(RateLimits limits, String host, String path, String ip) {
        return limits.check(host, path, ip, NO_HEADERS, Map.of()).block();
    }

    private double count(String rule, String result) {
        return registry.get(RateLimits.METRIC).tag("rule", rule).tag("result", result).counter().count();
    }

    @Test
    void aRequestNoRuleMatchesPasses() {
        RateLimits limits = limits(new RateLimitRule("api", List.of("api.example.com"), null, RateLimitKey.clientIp(), 1,
                Unit.HOUR, Backend.LOCAL));
        for (int i = 0; i < 5; i++) {
            assertThat(check(limits, "www.example.com", "/", "10.0.0.1").allowed()).isTrue();
        }
        assertThat(RateLimits.none(registry).check("h", "/", "ip", NO_HEADERS, Map.of()).block().allowed()).isTrue();
    }

    @Test
    void everyMatchingRuleMustAllowAndTheLongestRetryAfterWins() {
        RateLimitRule perMinute = new RateLimitRule("per-minute", List.of(), null, RateLimitKey.clientIp(), 2, Unit.MINUTE,
                Backend.LOCAL);
        RateLimitRule perHour = new RateLimitRule("per-hour", List.of(), "/api/", RateLimitKey.clientIp(), 3, Unit.HOUR,
                Backend.LOCAL);
        RateLimits limits = limits(perMinute, perHour);

        RateLimitDecision first = check(limits, "h", "/api/x", "10.0.0.1");
        assertThat(first.allowed()).isTrue();
        assertThat(first.remaining()).isEqualTo(1);
        assertThat(check(limits, "h", "/api/x", "10.0.0.1").allowed()).isTrue();

        // Only per-minute refuses; per-hour still spends its token.
        RateLimitDecision refused = check(limits, "h", "/api/x", "10.0.0.1");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(30));

        // Both refuse: the longer wait (20 minutes to per-hour's next token) is the answer.
        RateLimitDecision both = check(limits, "h", "/api/x", "10.0.0.1");
        assertThat(both.allowed()).isFalse();
        assertThat(both.retryAfter()).isEqualTo(Duration.ofMinutes(20));

        clock.advance(Duration.ofMinutes(1));
        // Outside /api/ only per-minute applies.
        assertThat(check(limits, "h", "/static", "10.0.0.1").allowed()).isTrue();
        RateLimitDecision hourly = check(limits, "h", "/api/x", "10.0.0.1");
        assertThat(hourly.allowed()).isFalse();
        assertThat(hourly.retryAfter()).isEqualTo(Duration.ofMinutes(19));
    }

    @Test
    void keysRequestsByHeaderAndClaim() {
        RateLimitRule perKey = new RateLimitRule("per-key", List.of(), null, RateLimitKey.header("X-Api-Key"), 1, Unit.HOUR,
                Backend.LOCAL);
        RateLimitRule perUser = new RateLimitRule("per-user", List.of(), null, RateLimitKey.claim("sub"), 1, Unit.HOUR,
                Backend.LOCAL);
        RateLimits byHeader = limits(perKey);
        assertThat(byHeader.check("h", "/", "1.1.1.1", name -> "k1", Map.of()).block().allowed()).isTrue();
        assertThat(byHeader.check("h", "/", "2.2.2.2", name -> "k1", Map.of()).block().allowed()).isFalse();
        assertThat(byHeader.check("h", "/", "1.1.1.1", name -> "k2", Map.of()).block().allowed()).isTrue();

        RateLimits byClaim = limits(perUser);
        assertThat(byClaim.check("h", "/", "1.1.1.1", NO_HEADERS, Map.of("sub", "alice")).block().allowed()).isTrue();
        assertThat(byClaim.check("h", "/", "2.2.2.2", NO_HEADERS, Map.of("sub", "alice")).block().allowed()).isFalse();
        assertThat(byClaim.check("h", "/", "1.1.1.1", NO_HEADERS, Map.of("sub", "bob")).block().allowed()).isTrue();
        // Without a token, all callers share the anonymous bucket.
        assertThat(byClaim.check("h", "/", "3.3.3.3", NO_HEADERS, Map.of()).block().allowed()).isTrue();
        assertThat(byClaim.check("h", "/", "4.4.4.4", NO_HEADERS, Map.of()).block().allowed()).isFalse();
    }

    @Test
    void countsOutcomesPerRule() {
        RateLimitRule rule = new RateLimitRule("api", List.of(), null, RateLimitKey.clientIp(), 2, Unit.HOUR, Backend.LOCAL);
        RateLimitRule failing = new RateLimitRule("shared", List.of(), "/shared", RateLimitKey.clientIp(), 2, Unit.HOUR,
                Backend.REDIS);
        RateLimiter unreachable = (r, key) -> Mono.just(new RateLimitDecision(true, -1, Duration.ZERO, true));
        RateLimits limits = new RateLimits(List.of(rule, failing), Map.of(Backend.LOCAL, local, Backend.REDIS, unreachable),
                registry);
        for (int i = 0; i < 3; i++) {
            check(limits, "h", "/", "10.0.0.1");
        }
        RateLimitDecision degraded = check(limits, "h", "/shared", "10.0.0.2");

        assertThat(degraded.allowed()).isTrue();
        assertThat(degraded.backendFailed()).isTrue();
        assertThat(count("api", "allowed")).isEqualTo(3);
        assertThat(count("api", "limited")).isEqualTo(1);
        assertThat(count("api", "error")).isZero();
        assertThat(count("shared", "error")).isEqualTo(1);
        assertThat(count("shared", "allowed")).isZero();
    }

    @Test
    void rejectsRulesWithoutALimiterForTheirBackendOrWithDuplicateNames() {
        RateLimitRule redis = new RateLimitRule("shared", List.of(), null, RateLimitKey.clientIp(), 1, Unit.HOUR,
                Backend.REDIS);
        RateLimitRule twin = new RateLimitRule("shared", List.of(), null, RateLimitKey.clientIp(), 1, Unit.HOUR,
                Backend.LOCAL);
        assertThatThrownBy(() -> new RateLimits(List.of(redis, twin), Map.of(Backend.LOCAL, local), registry))
                .isInstanceOfSatisfying(RateLimitConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "rule 'shared': no REDIS limiter is configured",
                        "rule 'shared': the name is used by another rule"));
    }
}
