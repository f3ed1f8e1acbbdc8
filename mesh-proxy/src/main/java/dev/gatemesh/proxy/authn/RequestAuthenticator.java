package dev.gatemesh.proxy.authn;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSecurityContextJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jwt.SignedJWT;
import dev.gatemesh.api.model.RequestAuthentication;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * End-user authentication by Istio's RequestAuthentication: each JWT rule names an issuer, its keys (inline or a
 * JWKS URI), the audiences it accepts and where its token travels. A request without a token passes as
 * anonymous (an AuthorizationPolicy may require a principal); a request with a token must carry a valid one
 * from a configured issuer, or it is rejected (401). Verification is Spring Security's reactive JWT decoder.
 */
public final class RequestAuthenticator {

    /** Signature algorithms accepted (asymmetric only, as Istio: JWKS hold public keys). */
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);
    private static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(5);

    /** Nothing to check. */
    public static final RequestAuthenticator NONE = new RequestAuthenticator(List.of());

    /** What authentication concluded. */
    public sealed interface Result permits Anonymous, Authenticated, Rejected {
    }

    /** No token in any configured location. */
    public record Anonymous() implements Result {
    }

    /**
     * A valid token.
     *
     * @param principal     {@code <iss>/<sub>}, Istio's request principal
     * @param claims        the token's claims
     * @param removeHeaders headers to drop before the app sees the request (the token, unless forwarded)
     * @param removeParams  query parameters to drop likewise (the token, unless forwarded)
     * @param addHeaders    headers to set from claims ({@code outputClaimToHeaders})
     */
    public record Authenticated(String principal, Map<String, Object> claims, List<String> removeHeaders,
                                Set<String> removeParams, Map<String, String> addHeaders) implements Result {
    }

    /** A token that is not valid: the request is refused with 401 and {@code reason}. */
    public record Rejected(String reason) implements Result {
    }

    /** Where a request's token may be: header values and query parameters. */
    public interface TokenCarrier {
        /** Every value of a header, in order (empty when absent). */
        List<String> headers(String name);

        /** Every value of a query parameter, in order (empty when absent). */
        List<String> queryParams(String name);
    }

    private record Rule(String issuer, List<RequestAuthentication.JwtHeader> headers, List<String> params, boolean forward,
                        List<RequestAuthentication.ClaimToHeader> claimHeaders, NimbusReactiveJwtDecoder decoder) {
    }

    private final List<Rule> rules;
    private final Set<String> claimHeaders;
    private final Set<String> tokenParams;

    private RequestAuthenticator(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.claimHeaders = rules.stream().flatMap(rule -> rule.claimHeaders().stream())
                .map(output -> output.header().toLowerCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.tokenParams = rules.stream().flatMap(rule -> paramsOf(rule).stream())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /**
     * The rules of the RequestAuthentication resources that apply to a workload.
     *
     * @throws IllegalArgumentException naming the rule when inline keys cannot be read
     */
    public static RequestAuthenticator of(List<RequestAuthentication.JwtRule> jwtRules, HttpClient http, Clock clock) {
        return of(jwtRules, new JwksCache(http, clock));
    }

    /** As above, with key sets fetched earlier (by this proxy, for earlier snapshots) reused. */
    public static RequestAuthenticator of(List<RequestAuthentication.JwtRule> jwtRules, JwksCache cache) {
        Clock clock = cache.clock();
        List<Rule> rules = new ArrayList<>();
        for (RequestAuthentication.JwtRule rule : jwtRules) {
            JwksSource source;
            if (rule.jwks() != null) {
                try {
                    source = JwksSource.inline(rule.jwks());
                } catch (ParseException e) {
                    throw new IllegalArgumentException("jwtRules issuer " + rule.issuer() + ": jwks is not a JSON Web Key Set: "
                            + e.getMessage(), e);
                }
            } else {
                source = cache.remote(rule.jwksUri(), rule.timeout() == null ? DEFAULT_FETCH_TIMEOUT : rule.timeout().value());
            }
            rules.add(new Rule(rule.issuer(), rule.fromHeaders(), rule.fromParams(), Boolean.TRUE.equals(rule.forwardOriginalToken()),
                    rule.outputClaimToHeaders(), decoder(rule, source, clock)));
        }
        return new RequestAuthenticator(rules);
    }

    private static NimbusReactiveJwtDecoder decoder(RequestAuthentication.JwtRule rule, JwksSource source, Clock clock) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
                .withJwkSource((SignedJWT jwt) -> source.keysFor(jwt.getHeader().getKeyID()).flatMapMany(Flux::fromIterable))
                .jwtProcessorCustomizer(processor -> processor.setJWSKeySelector(
                        new JWSVerificationKeySelector<>(ALGORITHMS, new JWKSecurityContextJWKSet())))
                .build();
        JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ofSeconds(60));
        timestamps.setClock(clock);
        List<org.springframework.security.oauth2.core.OAuth2TokenValidator<Jwt>> validators =
                new ArrayList<>(List.of(timestamps, new JwtIssuerValidator(rule.issuer())));
        if (!rule.audiences().isEmpty()) {
            validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                    audiences -> audiences != null && audiences.stream().anyMatch(rule.audiences()::contains)));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * Finds the token where the rules look for one and verifies it with the rule of its issuer. A request carrying
     * more than one token (a header twice, a header and a query parameter, two locations) is refused as Envoy does:
     * which one the app would read is anyone's guess.
     */
    public Mono<Result> authenticate(TokenCarrier request) {
        List<Found> tokens = tokensIn(request);
        if (tokens.isEmpty()) {
            return Mono.just(new Anonymous());
        }
        if (tokens.size() > 1) {
            return Mono.just(new Rejected("the request carries more than one JWT (" + tokens.stream().map(Found::where)
                    .distinct().collect(java.util.stream.Collectors.joining(", ")) + "): send exactly one"));
        }
        Found found = tokens.get(0);
        String issuer = unverifiedIssuer(found.token());
        Rule verifier = rules.stream().filter(r -> r.issuer().equals(issuer)).findFirst().orElse(null);
        if (verifier == null) {
            return Mono.just(new Rejected("Jwt issuer is not configured"));
        }
        return verifier.decoder().decode(found.token())
                .<Result>map(jwt -> authenticated(verifier, jwt, found))
                .onErrorResume(error -> Mono.just(new Rejected(String.valueOf(error.getMessage()).contains("expired")
                        ? "Jwt is expired" : "Jwt verification fails")));
    }

    /**
     * The headers {@code outputClaimToHeaders} writes: removed from every request before claims are written, so a
     * caller can never send its own.
     */
    public Set<String> claimHeaderNames() {
        return claimHeaders;
    }

    /** The query parameters tokens travel in: never shown by the access log. */
    public Set<String> tokenParams() {
        return tokenParams;
    }

    /** A token, and where it was: a header's name, or a query parameter's. */
    private record Found(String token, String header, String param) {
        String where() {
            return header != null ? "header " + header : "query parameter " + param;
        }
    }

    private static List<RequestAuthentication.JwtHeader> headersOf(Rule rule) {
        return rule.headers().isEmpty() && rule.params().isEmpty()
                ? List.of(new RequestAuthentication.JwtHeader("Authorization", "Bearer ")) : rule.headers();
    }

    private static List<String> paramsOf(Rule rule) {
        return rule.headers().isEmpty() && rule.params().isEmpty() ? List.of("access_token") : rule.params();
    }

    /** Every token in every location any rule reads (each location looked at once, every value of it). */
    private List<Found> tokensIn(TokenCarrier request) {
        List<Found> found = new ArrayList<>();
        Set<String> seenHeaders = new java.util.HashSet<>();
        Set<String> seenParams = new java.util.HashSet<>();
        for (Rule rule : rules) {
            for (RequestAuthentication.JwtHeader header : headersOf(rule)) {
                String prefix = header.prefix() == null ? "" : header.prefix();
                if (!seenHeaders.add(header.name().toLowerCase(java.util.Locale.ROOT) + "\n" + prefix.toLowerCase(java.util.Locale.ROOT))) {
                    continue;
                }
                for (String value : request.headers(header.name())) {
                    String token = afterPrefix(value, prefix);
                    if (token != null) {
                        found.add(new Found(token, header.name(), null));
                    }
                }
            }
            for (String param : paramsOf(rule)) {
                if (!seenParams.add(param)) {
                    continue;
                }
                for (String value : request.queryParams(param)) {
                    if (!value.isEmpty()) {
                        found.add(new Found(value, null, param));
                    }
                }
            }
        }
        return found;
    }

    /**
     * The token in a header value after the rule's prefix. A prefix ending in a space ({@code Bearer }) matches any run of
     * spaces or tabs there, so that {@code Bearer<TAB>token} is a token too and cannot ride along uncounted.
     */
    private static String afterPrefix(String value, String prefix) {
        String word = prefix.stripTrailing();
        boolean spaced = word.length() < prefix.length();
        if (!value.regionMatches(true, 0, word, 0, word.length())) {
            return null;
        }
        int at = word.length();
        if (spaced) {
            if (at >= value.length() || (value.charAt(at) != ' ' && value.charAt(at) != '\t')) {
                return null;
            }
            while (at < value.length() && (value.charAt(at) == ' ' || value.charAt(at) == '\t')) {
                at++;
            }
        }
        String token = value.substring(at).trim();
        return token.isEmpty() ? null : token;
    }

    private static String unverifiedIssuer(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            return null;
        }
    }

    private static Authenticated authenticated(Rule rule, Jwt jwt, Found found) {
        Map<String, String> add = new LinkedHashMap<>();
        for (RequestAuthentication.ClaimToHeader output : rule.claimHeaders()) {
            Object value = jwt.getClaims().get(output.claim());
            if (value != null) {
                add.put(output.header(), value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                        : String.valueOf(value));
            }
        }
        List<String> remove = !rule.forward() && found.header() != null ? List.of(found.header()) : List.of();
        Set<String> removeParams = !rule.forward() && found.param() != null ? Set.of(found.param()) : Set.of();
        return new Authenticated(jwt.getClaimAsString(JwtClaimNames.ISS) + "/" + jwt.getSubject(), jwt.getClaims(), remove,
                removeParams, add);
    }

    /** A claim by path ({@code groups}, or {@code nested.key} as Istio writes {@code [nested][key]}), as strings. */
    public static List<String> claimValues(Map<String, Object> claims, List<String> path) {
        Object value = claims;
        for (String part : path) {
            if (!(value instanceof Map<?, ?> map)) {
                return List.of();
            }
            value = map.get(part);
        }
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }
}
