package dev.gatemesh.proxy.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Picks the bucket key of a request for a rule, from plain values so that any HTTP server can adapt to it.
 *
 * <p>A missing or blank client IP, header or claim gives {@link #ANONYMOUS}: all such requests share one bucket per
 * rule. A claim that is a list (such as {@code aud}) is keyed by its values joined with commas. Values longer than
 * {@value #MAX_KEY_LENGTH} characters are replaced by their SHA-256, so a client cannot make keys (and Redis keys)
 * arbitrarily large.
 */
public final class RateLimitKeyResolver {

    /** The key of every request that lacks the rule's header or claim. */
    public static final String ANONYMOUS = "anonymous";

    static final int MAX_KEY_LENGTH = 256;

    private RateLimitKeyResolver() {
    }

    /**
     * @param clientIp the client's address as the gateway determined it (after any trusted X-Forwarded-For handling)
     * @param header   a request header's first value by case-insensitive name, null when absent
     * @param claims   the verified JWT's claims; empty when the request carried none
     */
    public static String resolve(RateLimitKey key, String clientIp, Function<String, String> header,
                                 Map<String, Object> claims) {
        String value = switch (key.source()) {
            case CLIENT_IP -> clientIp;
            case HEADER -> header == null ? null : header.apply(key.name());
            case CLAIM -> claims == null ? null : claimValue(claims.get(key.name()));
        };
        if (value == null || value.isBlank()) {
            return ANONYMOUS;
        }
        return value.length() > MAX_KEY_LENGTH ? "sha256:" + sha256(value) : value;
    }

    private static String claimValue(Object claim) {
        if (claim == null) {
            return null;
        }
        if (claim instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(claim);
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
