package dev.gatemesh.proxy.ratelimit;

/**
 * What a rule counts requests by: the client's address, a request header or a claim of the verified JWT.
 *
 * <p>A request that lacks the header or claim (or has a blank one) is counted in one shared
 * {@link RateLimitKeyResolver#ANONYMOUS anonymous} bucket of its rule, so unauthenticated callers share one budget.
 * A header is chosen by the client: key by {@link Source#HEADER} only on headers a trusted hop sets, and prefer
 * {@link Source#CLAIM} for per-user limits.
 *
 * @param source where the key comes from
 * @param name   the header name (case-insensitive) or the top-level claim name; {@code null} for {@link Source#CLIENT_IP}
 */
public record RateLimitKey(Source source, String name) {

    public enum Source { CLIENT_IP, HEADER, CLAIM }

    public RateLimitKey {
        if (source == null) {
            throw new IllegalArgumentException("key.source: must be set");
        }
        if (source == Source.CLIENT_IP) {
            name = null;
        } else if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("key.name: must not be blank for " + source);
        }
    }

    public static RateLimitKey clientIp() {
        return new RateLimitKey(Source.CLIENT_IP, null);
    }

    public static RateLimitKey header(String name) {
        return new RateLimitKey(Source.HEADER, name);
    }

    public static RateLimitKey claim(String name) {
        return new RateLimitKey(Source.CLAIM, name);
    }
}
