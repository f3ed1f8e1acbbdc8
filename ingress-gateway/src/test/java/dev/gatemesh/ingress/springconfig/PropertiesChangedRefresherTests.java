package dev.gatemesh.ingress.springconfig;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PropertiesChangedRefresherTests {

    @Test
    void anApplicationReadsItsOwnItsProfilesAndTheSharedFiles() {
        assertThat(PropertiesChangedRefresher.concerns("ingress-gateway", "ingress-gateway")).isTrue();
        assertThat(PropertiesChangedRefresher.concerns("ingress-gateway-prod", "ingress-gateway")).isTrue();
        assertThat(PropertiesChangedRefresher.concerns("application", "ingress-gateway")).isTrue();
        assertThat(PropertiesChangedRefresher.concerns("application-prod", "ingress-gateway")).isTrue();
    }

    @Test
    void anotherApplicationsChangeIsIgnored() {
        assertThat(PropertiesChangedRefresher.concerns("egress-gateway", "ingress-gateway")).isFalse();
        assertThat(PropertiesChangedRefresher.concerns("ingress", "ingress-gateway")).isFalse();
    }
}
