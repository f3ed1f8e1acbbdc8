package dev.gatemesh.proxy.ratelimit;

import static dev.gatemesh.proxy.ratelimit.RateLimitKeyResolver.ANONYMOUS;
import static dev.gatemesh.proxy.ratelimit.RateLimitKeyResolver.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RateLimitKeyResolverTests {

    private static final Function<String, String> HEADERS =
            name -> Map.of("x-api-key", "key-123", "x-blank", " ").get(name.toLowerCase(Locale.ROOT));

    @Test
    void keysByClientIp() {
        assertThat(resolve(RateLimitKey.clientIp(), "10.1.2.3", HEADERS, Map.of())).isEqualTo("10.1.2.3");
        assertThat(resolve(RateLimitKey.clientIp(), null, HEADERS, Map.of())).isEqualTo(ANONYMOUS);
    }

    @Test
    void keysByHeader() {
        assertThat(resolve(RateLimitKey.header("X-Api-Key"), "10.1.2.3", HEADERS, Map.of())).isEqualTo("key-123");
    }

    @Test
    void aMissingOrBlankHeaderIsTheAnonymousBucket() {
        assertThat(resolve(RateLimitKey.header("X-Other"), "10.1.2.3", HEADERS, Map.of())).isEqualTo(ANONYMOUS);
        assertThat(resolve(RateLimitKey.header("X-Blank"), "10.1.2.3", HEADERS, Map.of())).isEqualTo(ANONYMOUS);
        assertThat(resolve(RateLimitKey.header("X-Api-Key"), "10.1.2.3", null, Map.of())).isEqualTo(ANONYMOUS);
    }

    @Test
    void keysByClaim() {
        Map<String, Object> claims = Map.of("sub", "alice", "tenant", 42, "aud", List.of("web", "mobile"));
        assertThat(resolve(RateLimitKey.claim("sub"), "10.1.2.3", HEADERS, claims)).isEqualTo("alice");
        assertThat(resolve(RateLimitKey.claim("tenant"), "10.1.2.3", HEADERS, claims)).isEqualTo("42");
        assertThat(resolve(RateLimitKey.claim("aud"), "10.1.2.3", HEADERS, claims)).isEqualTo("web,mobile");
    }

    @Test
    void unauthenticatedRequestsShareTheAnonymousBucket() {
        assertThat(resolve(RateLimitKey.claim("sub"), "10.1.2.3", HEADERS, Map.of())).isEqualTo(ANONYMOUS);
        assertThat(resolve(RateLimitKey.claim("sub"), "10.9.9.9", HEADERS, null)).isEqualTo(ANONYMOUS);
    }

    @Test
    void longValuesAreHashedToBoundTheKeySize() {
        String huge = "x".repeat(10_000);
        String key = resolve(RateLimitKey.header("X-Api-Key"), null, name -> huge, Map.of());
        assertThat(key).startsWith("sha256:").hasSize("sha256:".length() + 64);
        assertThat(resolve(RateLimitKey.header("X-Api-Key"), null, name -> huge, Map.of())).isEqualTo(key);
        assertThat(resolve(RateLimitKey.header("X-Api-Key"), null, name -> huge + "y", Map.of())).isNotEqualTo(key);
    }
}
