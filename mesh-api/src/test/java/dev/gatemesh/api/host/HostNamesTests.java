package dev.gatemesh.api.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostNamesTests {

    @Test
    void qualifiesShortNamesByTheNamespaceOfTheResource() {
        assertThat(HostNames.qualify("reviews", "bookinfo", "cluster.local")).isEqualTo("reviews.bookinfo.svc.cluster.local");
        assertThat(HostNames.qualify("reviews.other", "bookinfo", "cluster.local")).isEqualTo("reviews.other");
        assertThat(HostNames.qualify("*", "bookinfo", "cluster.local")).isEqualTo("*");
    }

    @Test
    void wildcardsCoverTheNamesBelowThem() {
        assertThat(HostNames.matches("*.example.com", "api.example.com")).isTrue();
        assertThat(HostNames.matches("*.example.com", "example.com")).isFalse();
        assertThat(HostNames.matches("*", "anything.at.all")).isTrue();
        assertThat(HostNames.matches("api.example.com", "*.example.com")).isFalse();
    }

    @Test
    void validatesDnsNamesWithAWildcardOnlyAsTheFirstLabel() {
        assertThat(HostNames.isValid("reviews.default.svc.cluster.local", false)).isTrue();
        assertThat(HostNames.isValid("*.example.com", true)).isTrue();
        assertThat(HostNames.isValid("*.example.com", false)).isFalse();
        assertThat(HostNames.isValid("api.*.com", true)).isFalse();
        assertThat(HostNames.isValid("Reviews", false)).isFalse();
        assertThat(HostNames.isValid("-bad.example.com", false)).isFalse();
    }
}
