package dev.gatemesh.proxy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatemesh.proxy.ratelimit.RateLimitRule.Backend;
import dev.gatemesh.proxy.ratelimit.RateLimitRule.Unit;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitRuleTests {

    private static RateLimitRule rule(List<String> hosts, String pathPrefix) {
        return new RateLimitRule("r", hosts, pathPrefix, RateLimitKey.clientIp(), 1, Unit.SECOND, Backend.LOCAL);
    }

    @Test
    void noHostsMatchesEveryHost() {
        assertThat(rule(List.of(), null).matches("anything.example.org:8443", "/")).isTrue();
        assertThat(rule(List.of(), null).matches(null, "/")).isTrue();
    }

    @Test
    void exactHostsMatchWithoutPortAndCase() {
        RateLimitRule rule = rule(List.of("API.example.com"), null);
        assertThat(rule.matches("api.example.com", "/")).isTrue();
        assertThat(rule.matches("Api.Example.Com:8443", "/")).isTrue();
        assertThat(rule.matches("api.example.com.", "/")).isTrue();
        assertThat(rule.matches("www.example.com", "/")).isFalse();
        assertThat(rule.matches("api.example.com.evil.io", "/")).isFalse();
    }

    @Test
    void wildcardHostsMatchSubdomainsOnly() {
        RateLimitRule rule = rule(List.of("*.example.com"), null);
        assertThat(rule.matches("a.example.com", "/")).isTrue();
        assertThat(rule.matches("a.b.example.com:80", "/")).isTrue();
        assertThat(rule.matches("example.com", "/")).isFalse();
        assertThat(rule.matches("badexample.com", "/")).isFalse();
        assertThat(rule(List.of("*"), null).matches("whatever", "/")).isTrue();
    }

    @Test
    void ipv6HostsKeepTheirBrackets() {
        RateLimitRule rule = rule(List.of(), null);
        assertThat(RateLimitRule.normalizeHost("[::1]:8080")).isEqualTo("[::1]");
        assertThat(RateLimitRule.normalizeHost("[::1]")).isEqualTo("[::1]");
        assertThat(rule.matches("[::1]:8080", "/")).isTrue();
    }

    @Test
    void pathPrefixIsAPlainStringPrefix() {
        RateLimitRule rule = rule(List.of(), "/api/");
        assertThat(rule.matches("h", "/api/orders")).isTrue();
        assertThat(rule.matches("h", "/api/")).isTrue();
        assertThat(rule.matches("h", "/api")).isFalse();
        assertThat(rule.matches("h", "/static/app.js")).isFalse();
        assertThat(rule.matches("h", null)).isFalse();
    }

    @Test
    void hostAndPathMustBothMatch() {
        RateLimitRule rule = rule(List.of("api.example.com"), "/v1");
        assertThat(rule.matches("api.example.com", "/v1/x")).isTrue();
        assertThat(rule.matches("api.example.com", "/v2/x")).isFalse();
        assertThat(rule.matches("www.example.com", "/v1/x")).isFalse();
    }

    @Test
    void rejectsEveryInvalidValueInOneMessage() {
        assertThatThrownBy(() -> new RateLimitRule("bad name", List.of("a*b.com", "*.ok.com"), "api",
                RateLimitKey.clientIp(), -1, null, 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rate limit rule 'bad name': "
                        + "name: must contain only letters, digits, '.', '_' and '-', was 'bad name'; "
                        + "hosts[0]: must be a host name, *.domain or *, was 'a*b.com'; "
                        + "path-prefix: must start with '/', was 'api'; "
                        + "requests-per-unit: must be > 0, was -1; "
                        + "unit: must be set (SECOND, MINUTE or HOUR); "
                        + "burst: must be > 0, was 0; "
                        + "backend: must be set (LOCAL or REDIS)");
    }

    @Test
    void rejectsBlankNamesMissingKeysAndRatesAboveTheCap() {
        assertThatThrownBy(() -> new RateLimitRule(" ", List.of(), null, null, 2_000_000, Unit.SECOND, 1, Backend.LOCAL))
                .hasMessage("rate limit rule ' ': name: must not be blank; "
                        + "key.source: must be set (CLIENT_IP, HEADER or CLAIM); "
                        + "requests-per-unit: must be at most 1000000, was 2000000");
    }

    @Test
    void headerAndClaimKeysNeedAName() {
        assertThatThrownBy(() -> RateLimitKey.header(" ")).hasMessage("key.name: must not be blank for HEADER");
        assertThatThrownBy(() -> RateLimitKey.claim(null)).hasMessage("key.name: must not be blank for CLAIM");
        assertThat(new RateLimitKey(RateLimitKey.Source.CLIENT_IP, "ignored").name()).isNull();
    }
}
