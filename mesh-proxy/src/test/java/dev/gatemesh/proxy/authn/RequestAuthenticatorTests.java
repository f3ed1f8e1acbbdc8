package dev.gatemesh.proxy.authn;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatemesh.api.model.RequestAuthentication;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/** RequestAuthentication against a real JWKS server on loopback and tokens signed with real keys. */
class RequestAuthenticatorTests {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String ISSUER = "https://auth.example.com";

    private final RSAKey signing = rsa("key-1");
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile JWKSet published = new JWKSet(signing.toPublicJWK());
    private final DisposableServer jwks = HttpServer.create().host("127.0.0.1").port(0)
            .handle((request, response) -> {
                fetches.incrementAndGet();
                return response.header("content-type", "application/json").sendString(Mono.just(published.toString()));
            }).bindNow();

    @AfterEach
    void stop() {
        jwks.disposeNow();
    }

    private static RSAKey rsa(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(RSAKey key, String issuer, String subject, Instant expires, Map<String, Object> claims) {
        try {
            JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(issuer).subject(subject)
                    .issueTime(Date.from(expires.minusSeconds(7200))).expirationTime(Date.from(expires));
            claims.forEach(builder::claim);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), builder.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private RequestAuthentication.JwtRule rule(List<String> audiences, List<RequestAuthentication.ClaimToHeader> outputs,
                                               Boolean forward) {
        return new RequestAuthentication.JwtRule(ISSUER, audiences, "http://127.0.0.1:" + jwks.port() + "/jwks.json", null,
                List.of(), List.of(), forward, outputs, null);
    }

    private static RequestAuthenticator.TokenCarrier bearer(String token) {
        return carrier(Map.of("authorization", "Bearer " + token), Map.of());
    }

    private static RequestAuthenticator.TokenCarrier carrier(Map<String, String> headers, Map<String, String> params) {
        Map<String, List<String>> allHeaders = new java.util.HashMap<>();
        headers.forEach((name, value) -> allHeaders.put(name, List.of(value)));
        Map<String, List<String>> allParams = new java.util.HashMap<>();
        params.forEach((name, value) -> allParams.put(name, List.of(value)));
        return multiCarrier(allHeaders, allParams);
    }

    /** A request with every value of its headers (lower-case names) and query parameters. */
    private static RequestAuthenticator.TokenCarrier multiCarrier(Map<String, List<String>> headers,
                                                                  Map<String, List<String>> params) {
        return new RequestAuthenticator.TokenCarrier() {
            @Override
            public List<String> headers(String name) {
                return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
            }

            @Override
            public List<String> queryParams(String name) {
                return params.getOrDefault(name, List.of());
            }
        };
    }

    @Test
    void aRequestCarryingMoreThanOneTokenIsRejectedWhicheverLocationsTheyAreIn() {
        RequestAuthenticator authenticator = RequestAuthenticator.of(List.of(rule(List.of(), List.of(), null)),
                HttpClient.create(), CLOCK);
        String valid = token(signing, ISSUER, "alice", NOW.plusSeconds(3600), Map.of());
        String forged = token(rsa("key-1"), ISSUER, "mallory", NOW.plusSeconds(3600), Map.of());

        RequestAuthenticator.Result twoHeaders = run(authenticator, multiCarrier(
                Map.of("authorization", List.of("Bearer " + valid, "Bearer " + forged)), Map.of()));
        RequestAuthenticator.Result headerAndParam = run(authenticator, multiCarrier(
                Map.of("authorization", List.of("Bearer " + valid)), Map.of("access_token", List.of(forged))));
        RequestAuthenticator.Result twoParams = run(authenticator, multiCarrier(Map.of(),
                Map.of("access_token", List.of(valid, valid))));

        assertThat(twoHeaders).isEqualTo(new RequestAuthenticator.Rejected(
                "the request carries more than one JWT (header Authorization): send exactly one"));
        assertThat(headerAndParam).isEqualTo(new RequestAuthenticator.Rejected(
                "the request carries more than one JWT (header Authorization, query parameter access_token): send exactly one"));
        assertThat(twoParams).isInstanceOf(RequestAuthenticator.Rejected.class);
        assertThat(fetches.get()).as("refused before any key is fetched").isZero();
    }

    @Test
    void aTokenInTheQueryIsRemovedUnlessForwardedAndItsParameterIsNeverLogged() {
        RequestAuthenticator dropping = RequestAuthenticator.of(List.of(rule(List.of(), List.of(), null)),
                HttpClient.create(), CLOCK);
        RequestAuthenticator forwarding = RequestAuthenticator.of(List.of(rule(List.of(), List.of(), true)),
                HttpClient.create(), CLOCK);
        String token = token(signing, ISSUER, "alice", NOW.plusSeconds(3600), Map.of());

        var dropped = (RequestAuthenticator.Authenticated) run(dropping, carrier(Map.of(), Map.of("access_token", token)));
        var forwarded = (RequestAuthenticator.Authenticated) run(forwarding, carrier(Map.of(), Map.of("access_token", token)));

        assertThat(dropped.removeParams()).containsExactly("access_token");
        assertThat(dropped.removeHeaders()).isEmpty();
        assertThat(forwarded.removeParams()).isEmpty();
        assertThat(dropping.tokenParams()).containsExactly("access_token");
    }

    @Test
    void theHeadersClaimsAreWrittenToAreKnownSoThatEveryRequestLosesItsOwn() {
        RequestAuthenticator authenticator = RequestAuthenticator.of(List.of(rule(List.of(),
                List.of(new RequestAuthentication.ClaimToHeader("X-Jwt-Sub", "sub")), null)), HttpClient.create(), CLOCK);

        assertThat(authenticator.claimHeaderNames()).containsExactly("x-jwt-sub");
    }

    private static RequestAuthenticator.Result run(RequestAuthenticator authenticator, RequestAuthenticator.TokenCarrier request) {
        return authenticator.authenticate(request).block(Duration.ofSeconds(10));
    }

    @Test
    void aValidTokenFromTheJwksUriYieldsTheRequestPrincipalDropsTheTokenAndCopiesClaimsToHeaders() {
        RequestAuthenticator authenticator = RequestAuthenticator.of(List.of(rule(List.of("bookinfo"),
                List.of(new RequestAuthentication.ClaimToHeader("x-jwt-groups", "groups")), null)), HttpClient.create(), CLOCK);
        String token = token(signing, ISSUER, "alice", NOW.plusSeconds(3600), Map.of("aud", "bookinfo",
                "groups", List.of("admins", "dev")));

        RequestAuthenticator.Result result = run(authenticator, bearer(token));

        assertThat(result).isInstanceOf(RequestAuthenticator.Authenticated.class);
        RequestAuthenticator.Authenticated authenticated = (RequestAuthenticator.Authenticated) result;
        assertThat(authenticated.principal()).isEqualTo(ISSUER + "/alice");
        assertThat(authenticated.removeHeaders()).containsExactly("Authorization");
        assertThat(authenticated.addHeaders()).containsExactly(Map.entry("x-jwt-groups", "admins,dev"));
        assertThat(RequestAuthenticator.claimValues(authenticated.claims(), List.of("groups"))).containsExactly("admins", "dev");
    }

    @Test
    void aRequestWithoutATokenIsAnonymousNotRejected() {
        RequestAuthenticator authenticator = RequestAuthenticator.of(List.of(rule(List.of(), List.of(), null)),
                HttpClient.create(), CLOCK);
        assertThat(run(authenticator, carrier(Map.of(), Map.of()))).isInstanceOf(RequestAuthenticator.Anonymous.class);
        assertThat(fetches.get()).as("no token, no key fetch").isZero();
    }

    @Test
    void expiredForgedUnknownIssuerAndWrongAudienceTokensAreRejectedWithIstiosReasons() {
        RequestAuthenticator authenticator = RequestAuthenticator.of(List.of(rule(List.of("bookinfo"), List.of(), null)),
                HttpClient.create(), CLOCK);
        Map<String, Object> audience = Map.of("aud", "bookinfo");
        assertThat(run(authenticator, bearer(token(signing, ISSUER, "alice", NOW.minusSeconds(3600), audience))))
                .isEqualTo(new RequestAuthenticator.Rejected("Jwt is expired"));
        assertThat(run(authenticator, bearer(token(rsa("key-1"), ISSUER, "mallory", NOW.plusSeconds(3600), audience))))
                .as("same key id, another key").isEqualTo(new RequestAuthenticator.Rejected("Jwt verification fails"));
        assertThat(run(authenticator, bearer(token(signing, "https://other.example.com", "alice", NOW.plusSeconds(3600), audience))))
                .isEqualTo(new RequestAuthenticator.Rejected("Jwt issuer is not configured"));
        assertThat(run(authenticator, bearer(token(signing, ISSUER, "alice", NOW.plusSeconds(3600), Map.of("aud", "other")))))
                .isEqualTo(new RequestAuthenticator.Rejected("Jwt verification fails"));
        assertThat(run(authenticator, bearer("not-a-jwt"))).isInstanceOf(RequestAuthenticator.Rejected.class);
    }

    /** A clock the test moves. */
    private static final class SteppedClock extends Clock {
        private volatile Instant now = NOW;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void keysAreFetchedOnceAndAgainWhenATokenNamesANewKeyButNotForEveryUnknownKey() {
        SteppedClock clock = new SteppedClock();
        RequestAuthenticator authenticator = RequestAuthenticator.of(List.of(rule(List.of(), List.of(), true)),
                HttpClient.create(), clock);
        for (int i = 0; i < 5; i++) {
            assertThat(run(authenticator, bearer(token(signing, ISSUER, "alice", NOW.plusSeconds(60), Map.of()))))
                    .isInstanceOf(RequestAuthenticator.Authenticated.class);
        }
        assertThat(fetches.get()).isEqualTo(1);

        RSAKey rotated = rsa("key-2");
        published = new JWKSet(List.of(signing.toPublicJWK(), rotated.toPublicJWK()));
        assertThat(run(authenticator, bearer(token(rotated, ISSUER, "bob", NOW.plusSeconds(60), Map.of()))))
                .as("within 30 s of the last fetch an unknown key id is not fetched for").isInstanceOf(RequestAuthenticator.Rejected.class);
        assertThat(fetches.get()).isEqualTo(1);
        clock.now = NOW.plusSeconds(31);
        RequestAuthenticator.Result result = run(authenticator, bearer(token(rotated, ISSUER, "bob", NOW.plusSeconds(60), Map.of())));
        assertThat(result).isInstanceOf(RequestAuthenticator.Authenticated.class);
        assertThat(((RequestAuthenticator.Authenticated) result).removeHeaders()).as("forwardOriginalToken").isEmpty();
        assertThat(fetches.get()).isEqualTo(2);
    }

    @Test
    void aNewConfigurationReusesTheKeysItsProxyAlreadyFetched() {
        JwksCache cache = new JwksCache(HttpClient.create(), CLOCK);
        String token = token(signing, ISSUER, "alice", NOW.plusSeconds(60), Map.of());
        for (int snapshot = 0; snapshot < 3; snapshot++) {
            RequestAuthenticator authenticator = RequestAuthenticator.of(List.of(rule(List.of(), List.of(), null)), cache);
            assertThat(run(authenticator, bearer(token))).isInstanceOf(RequestAuthenticator.Authenticated.class);
        }
        assertThat(fetches.get()).isEqualTo(1);
    }

    @Test
    void inlineKeysAndCustomTokenLocationsWork() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        var rule = new RequestAuthentication.JwtRule(ISSUER, List.of(), null, new JWKSet(ec.toPublicJWK()).toString(),
                List.of(new RequestAuthentication.JwtHeader("x-token", "Token ")), List.of("jwt"), null, List.of(), null);
        RequestAuthenticator authenticator = RequestAuthenticator.of(List.of(rule), HttpClient.create(), CLOCK);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(),
                new JWTClaimsSet.Builder().issuer(ISSUER).subject("carol").expirationTime(Date.from(NOW.plusSeconds(60))).build());
        jwt.sign(new ECDSASigner(ec));
        String token = jwt.serialize();

        assertThat(run(authenticator, carrier(Map.of("x-token", "Token " + token), Map.of())))
                .isInstanceOf(RequestAuthenticator.Authenticated.class);
        assertThat(run(authenticator, carrier(Map.of(), Map.of("jwt", token)))).isInstanceOf(RequestAuthenticator.Authenticated.class);
        assertThat(run(authenticator, bearer(token))).as("the default location is not used when others are named")
                .isInstanceOf(RequestAuthenticator.Anonymous.class);
    }
}
