package dev.gatemesh.proxy.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShadowAuthorityTests {

    @Test
    void suffixesTheHostBeforeThePort() {
        assertThat(ShadowAuthority.of("reviews.bookinfo.svc.cluster.local:9080"))
                .isEqualTo("reviews.bookinfo.svc.cluster.local-shadow:9080");
    }

    @Test
    void suffixesAHostWithoutPort() {
        assertThat(ShadowAuthority.of("reviews")).isEqualTo("reviews-shadow");
    }

    @Test
    void keepsTheBracketsOfAnIpv6Address() {
        assertThat(ShadowAuthority.of("[::1]:9080")).isEqualTo("[::1]-shadow:9080");
        assertThat(ShadowAuthority.of("[::1]")).isEqualTo("[::1]-shadow");
    }
}
