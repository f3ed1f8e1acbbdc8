package dev.gatemesh.proxy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatemesh.proxy.ratelimit.RateLimitRule.Backend;
import dev.gatemesh.proxy.ratelimit.RateLimitRule.Unit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class RateLimitPropertiesTests {

    private static RateLimitProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("gatemesh.gateway", Bindable.of(RateLimitProperties.class));
    }

    @Test
    void bindsRulesAsWrittenInYaml() {
        RateLimitProperties properties = bind(Map.ofEntries(
                Map.entry("gatemesh.gateway.rate-limits[0].name", "per-ip"),
                Map.entry("gatemesh.gateway.rate-limits[0].requests-per-unit", "100"),
                Map.entry("gatemesh.gateway.rate-limits[0].unit", "minute"),
                Map.entry("gatemesh.gateway.rate-limits[1].name", "per-user"),
                Map.entry("gatemesh.gateway.rate-limits[1].hosts[0]", "api.example.com"),
                Map.entry("gatemesh.gateway.rate-limits[1].hosts[1]", "*.api.example.com"),
                Map.entry("gatemesh.gateway.rate-limits[1].path-prefix", "/v1/"),
                Map.entry("gatemesh.gateway.rate-limits[1].key.source", "claim"),
                Map.entry("gatemesh.gateway.rate-limits[1].key.name", "sub"),
                Map.entry("gatemesh.gateway.rate-limits[1].requests-per-unit", "10"),
                Map.entry("gatemesh.gateway.rate-limits[1].unit", "SECOND"),
                Map.entry("gatemesh.gateway.rate-limits[1].burst", "20"),
                Map.entry("gatemesh.gateway.rate-limits[1].backend", "redis"),
                Map.entry("gatemesh.gateway.redis.uri", "redis://redis.gatemesh-system:6379"),
                Map.entry("gatemesh.gateway.redis.fail-open", "false")));

        assertThat(properties.toRules()).containsExactly(
                new RateLimitRule("per-ip", List.of(), null, RateLimitKey.clientIp(), 100, Unit.MINUTE, 100, Backend.LOCAL),
                new RateLimitRule("per-user", List.of("api.example.com", "*.api.example.com"), "/v1/",
                        RateLimitKey.claim("sub"), 10, Unit.SECOND, 20, Backend.REDIS));
        assertThat(properties.redis())
                .isEqualTo(new RateLimitProperties.Redis("redis://redis.gatemesh-system:6379", Duration.ofMillis(500), false));
    }

    @Test
    void defaultsToNoRulesAndALocalRedisThatFailsOpen() {
        RateLimitProperties properties = bind(Map.of());
        assertThat(properties.toRules()).isEmpty();
        assertThat(properties.redis())
                .isEqualTo(new RateLimitProperties.Redis("redis://127.0.0.1:6379", Duration.ofMillis(500), true));
    }

    @Test
    void reportsEveryProblemWithItsPropertyPath() {
        RateLimitProperties properties = bind(Map.ofEntries(
                Map.entry("gatemesh.gateway.rate-limits[0].name", "a"),
                Map.entry("gatemesh.gateway.rate-limits[0].requests-per-unit", "-1"),
                Map.entry("gatemesh.gateway.rate-limits[0].unit", "SECOND"),
                Map.entry("gatemesh.gateway.rate-limits[1].name", "a"),
                Map.entry("gatemesh.gateway.rate-limits[1].key.source", "HEADER"),
                Map.entry("gatemesh.gateway.rate-limits[1].requests-per-unit", "5"),
                Map.entry("gatemesh.gateway.rate-limits[1].burst", "0"),
                Map.entry("gatemesh.gateway.rate-limits[2].requests-per-unit", "5"),
                Map.entry("gatemesh.gateway.rate-limits[2].unit", "HOUR"),
                Map.entry("gatemesh.gateway.redis.timeout", "0s")));

        assertThatThrownBy(properties::toRules)
                .isInstanceOfSatisfying(RateLimitConfigurationException.class, e -> assertThat(e.problems()).containsExactly(
                        "gatemesh.gateway.redis.timeout: must be > 0, was PT0S",
                        "gatemesh.gateway.rate-limits[0].requests-per-unit: must be > 0, was -1",
                        "gatemesh.gateway.rate-limits[1].key.name: must not be blank for HEADER",
                        "gatemesh.gateway.rate-limits[1].unit: must be set (SECOND, MINUTE or HOUR)",
                        "gatemesh.gateway.rate-limits[1].burst: must be > 0, was 0",
                        "gatemesh.gateway.rate-limits[1].name: must be unique, 'a' is also rate-limits[0]",
                        "gatemesh.gateway.rate-limits[2].name: must not be blank"))
                .hasMessageContaining("gatemesh.gateway.rate-limits[0].requests-per-unit: must be > 0, was -1");
    }

    @Test
    void rejectsAnUnparsableRedisUri() {
        RateLimitProperties properties = bind(Map.of("gatemesh.gateway.redis.uri", "http://nowhere"));
        assertThatThrownBy(properties::toRules)
                .hasMessageContaining("gatemesh.gateway.redis.uri: must be like redis://host:port, was 'http://nowhere'");
    }
}
