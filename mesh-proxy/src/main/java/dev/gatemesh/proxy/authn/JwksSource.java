package dev.gatemesh.proxy.authn;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The public keys of one JWT issuer: inline ({@code jwks}) or fetched from {@code jwksUri} and kept for
 * {@link #REFRESH} (Istio's default), fetched again earlier when a token names a key id it does not know (at
 * most every {@link #MIN_REFETCH}).
 * A failed fetch keeps the keys it had.
 */
final class JwksSource {

    static final Duration REFRESH = Duration.ofMinutes(20);
    /** An unknown key id fetches the set again at most this often. */
    static final Duration MIN_REFETCH = Duration.ofSeconds(30);

    private record Keys(List<JWK> keys, Instant fetchedAt) {
    }

    private final String uri;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private final AtomicReference<Keys> cached = new AtomicReference<>();

    private JwksSource(String uri, List<JWK> inline, HttpClient http, Duration timeout, Clock clock) {
        this.uri = uri;
        this.http = http;
        this.timeout = timeout;
        this.clock = clock;
        if (inline != null) {
            cached.set(new Keys(inline, null));
        }
    }

    /** Keys written in the resource; a malformed set is an error here, at build time. */
    static JwksSource inline(String jwks) throws ParseException {
        return new JwksSource(null, JWKSet.parse(jwks).getKeys(), null, null, Clock.systemUTC());
    }

    static JwksSource remote(String uri, HttpClient http, Duration timeout, Clock clock) {
        return new JwksSource(uri, null, http, timeout, clock);
    }

    /** The keys to verify a token signed with key {@code keyId} (null when the token names none). */
    Mono<List<JWK>> keysFor(String keyId) {
        Keys current = cached.get();
        if (uri == null) {
            return Mono.just(current.keys());
        }
        boolean fresh = current != null && current.fetchedAt().plus(REFRESH).isAfter(clock.instant());
        boolean known = current != null && (keyId == null || current.keys().stream().anyMatch(k -> keyId.equals(k.getKeyID())));
        boolean justFetched = current != null && current.fetchedAt().plus(MIN_REFETCH).isAfter(clock.instant());
        if (fresh && (known || justFetched)) {
            return Mono.just(current.keys()); // an unknown key id does not make every request a fetch
        }
        return fetch().map(keys -> {
            cached.set(new Keys(keys, clock.instant()));
            return keys;
        }).onErrorResume(error -> current == null ? Mono.error(error) : Mono.just(current.keys()));
    }

    private Mono<List<JWK>> fetch() {
        return http.get().uri(uri).responseSingle((response, body) -> {
            if (response.status().code() != 200) {
                return Mono.error(new IllegalStateException("JWKS " + uri + " answered " + response.status().code()));
            }
            return body.asString();
        }).timeout(timeout).map(text -> {
            try {
                return JWKSet.parse(text).getKeys();
            } catch (ParseException e) {
                throw new IllegalStateException("JWKS " + uri + " is not a JSON Web Key Set: " + e.getMessage(), e);
            }
        });
    }
}
