package dev.gatemesh.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerNameTrustManagerTests {

    @Test
    void aCertificateNameMatchesExactlyOrByAWildcardForOneWholeLabel() {
        assertThat(ServerNameTrustManager.matches("api.example.com", "api.example.com")).isTrue();
        assertThat(ServerNameTrustManager.matches("*.example.com", "api.example.com")).isTrue();
        assertThat(ServerNameTrustManager.matches("*.example.com", "a.b.example.com")).isFalse();
        assertThat(ServerNameTrustManager.matches("*.example.com", "example.com")).isFalse();
        assertThat(ServerNameTrustManager.matches("api.example.com", "evil-api.example.com")).isFalse();
    }
}
