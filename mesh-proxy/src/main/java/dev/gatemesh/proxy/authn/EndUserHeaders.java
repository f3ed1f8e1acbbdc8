package dev.gatemesh.proxy.authn;

import dev.gatemesh.proxy.http.HeaderSpellings;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * What end-user authentication changes in a forwarded request's headers: every header {@code outputClaimToHeaders}
 * writes is removed first, whatever the request carried and however it spelled it (a caller never gets to send its own
 * {@code x-jwt-sub}, nor {@code x_jwt_sub}), then
 * the verified token is removed unless forwarded, and the claims are written.
 */
public final class EndUserHeaders {

    private EndUserHeaders() {
    }

    /** @param user the verified end user, or null when the request carried no token */
    public static void apply(RequestAuthenticator authenticator, RequestAuthenticator.Authenticated user, HttpHeaders headers) {
        authenticator.claimHeaderNames().forEach(headers::remove);
        HeaderSpellings.removeUnderscoreSpellings(headers, authenticator.claimHeaderNames());
        if (user != null) {
            user.removeHeaders().forEach(headers::remove);
            user.addHeaders().forEach(headers::set);
        }
    }
}
