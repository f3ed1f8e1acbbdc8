package dev.gatemesh.server.ca;

import dev.gatemesh.api.model.IstioDuration;
import dev.gatemesh.ca.CertificateAuthority;
import dev.gatemesh.ca.IssuedCertificate;
import dev.gatemesh.ca.TrustBundle;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.ca.policy.SigningRefused;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /v1/certificates}: a proxy sends a CSR ({@code {"csr": PEM, "ttl": "24h", "workload":
 * "ns/name"}}) with its credential as a bearer token. The caller's identity is proven from the
 * credential alone, and the CA signs only that identity. Every refusal is answered with a message that
 * says why (401: the credential proves nothing; 403: the CSR asks for another identity or other names;
 * 400: the CSR or TTL is unusable) and an audit line; the control plane's own identity is never signed here; every certificate issued is audited too.
 */
public final class CertificateEndpoint {

    public static final String PATH = "/v1/certificates";

    private static final Logger audit = LoggerFactory.getLogger("gatemesh.audit");

    private final CertificateAuthority ca;
    private final CallerIdentity callers;
    private final SpiffeId controlPlane;
    /** The bundle's PEM, encoded once per bundle rather than once per certificate. */
    private volatile BundlePem bundlePem = new BundlePem(null, "");

    private record BundlePem(TrustBundle bundle, String pem) {
    }

    /** @param controlPlane the config server's own identity, which is never signed for a caller */
    public CertificateEndpoint(CertificateAuthority ca, CallerIdentity callers, SpiffeId controlPlane) {
        this.ca = ca;
        this.callers = callers;
        this.controlPlane = controlPlane;
    }

    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route().POST(PATH, this::sign).build();
    }

    /** The request body. */
    record SigningRequest(String csr, String ttl, String workload) {
    }

    private Mono<ServerResponse> sign(ServerRequest request) {
        String caller = request.remoteAddress().map(Object::toString).orElse("unknown");
        String header = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith("Bearer ")) {
            return refuse(HttpStatus.UNAUTHORIZED, "NO_CREDENTIAL", "send the credential as Authorization: Bearer <token>",
                    caller, null);
        }
        String credential = header.substring("Bearer ".length()).trim();
        return request.bodyToMono(SigningRequest.class)
                .onErrorResume(e -> Mono.just(new SigningRequest(null, null, null)))
                .defaultIfEmpty(new SigningRequest(null, null, null))
                // Off the event loop: signing is CPU work (the parallel workers), a TokenReview waits on the network.
                .flatMap(body -> Mono.fromCallable(() -> handle(body, credential, caller))
                        .subscribeOn(callers.blocks() ? Schedulers.boundedElastic() : Schedulers.parallel()))
                .flatMap(response -> response);
    }

    private Mono<ServerResponse> handle(SigningRequest body, String credential, String caller) {
        if (body.csr() == null || body.csr().isBlank()) {
            return refuse(HttpStatus.BAD_REQUEST, "NO_CSR", "the body must be JSON with a PEM \"csr\" field", caller, null);
        }
        Duration ttl = null;
        if (body.ttl() != null) {
            try {
                ttl = IstioDuration.parse(body.ttl()).value();
            } catch (IllegalArgumentException e) {
                return refuse(HttpStatus.BAD_REQUEST, "TTL_INVALID", "ttl: " + e.getMessage(), caller, null);
            }
        }
        SpiffeId proven;
        try {
            proven = callers.prove(credential, body.workload());
        } catch (CallerIdentity.NotProven e) {
            return refuse(HttpStatus.UNAUTHORIZED, "NOT_PROVEN", e.getMessage(), caller, null);
        }
        if (proven.equals(controlPlane)) {
            return refuse(HttpStatus.FORBIDDEN, "RESERVED_IDENTITY", proven + " is the control plane's own identity; "
                    + "the CA never signs it for a caller", caller, proven);
        }
        try {
            IssuedCertificate issued = ca.sign(body.csr(), proven, ttl);
            audit.info("certificate issued: identity={} serial={} notAfter={} caller={} credential={}", issued.identity(),
                    issued.serial().toString(16), issued.notAfter(), caller, callers.kind());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("spiffeId", issued.identity().toString());
            out.put("serial", issued.serial().toString(16));
            out.put("notBefore", issued.notBefore().toString());
            out.put("notAfter", issued.notAfter().toString());
            out.put("certificateChain", issued.chainPem());
            out.put("trustBundle", trustBundlePem());
            return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(out);
        } catch (SigningRefused e) {
            HttpStatus status = switch (e.reason()) {
                case IDENTITY_MISMATCH, EXTRA_SANS, FOREIGN_TRUST_DOMAIN -> HttpStatus.FORBIDDEN;
                default -> HttpStatus.BAD_REQUEST;
            };
            return refuse(status, e.reason().name(), e.getMessage(), caller, proven);
        }
    }

    private String trustBundlePem() {
        TrustBundle current = ca.trustBundle();
        BundlePem cached = bundlePem;
        if (cached.bundle() != current) {
            cached = new BundlePem(current, current.pem());
            bundlePem = cached;
        }
        return cached.pem();
    }

    private Mono<ServerResponse> refuse(HttpStatus status, String reason, String message, String caller, SpiffeId proven) {
        audit.warn("certificate refused: status={} reason={} proven={} caller={} credential={}: {}", status.value(), reason,
                proven == null ? "-" : proven, caller, callers.kind(), message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("reason", reason);
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }
}
