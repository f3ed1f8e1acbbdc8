package dev.gatemesh.proxy.mirror;

/**
 * Envoy's Host for shadow traffic: {@code -shadow} appended to the host part, before the port, so that the mirror
 * (and its logs and metrics) can tell copies from real requests: {@code reviews.bookinfo.svc.cluster.local:9080}
 * becomes {@code reviews.bookinfo.svc.cluster.local-shadow:9080}, {@code reviews} becomes {@code reviews-shadow}.
 */
public final class ShadowAuthority {

    static final String SUFFIX = "-shadow";

    private ShadowAuthority() {
    }

    public static String of(String authority) {
        int colon = authority.lastIndexOf(':');
        boolean bareIpv6 = !authority.startsWith("[") && authority.indexOf(':') != colon;
        boolean hasPort = colon > 0 && colon > authority.lastIndexOf(']') && !bareIpv6 && colon < authority.length() - 1
                && authority.substring(colon + 1).chars().allMatch(Character::isDigit);
        return hasPort ? authority.substring(0, colon) + SUFFIX + authority.substring(colon) : authority + SUFFIX;
    }
}
