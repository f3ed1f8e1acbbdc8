package dev.gatemesh.server.stream;

import dev.gatemesh.ca.TrustBundle;
import dev.gatemesh.server.push.PeerCertificate;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Only a proxy with a workload certificate of this mesh may open the control-plane stream: the chain
 * it presented at the TLS handshake is verified again here (against the current trust bundle, at the
 * current time, so a resumed TLS session cannot carry an expired or distrusted certificate in), and its
 * SPIFFE ID becomes the stream's principal.
 */
public final class PeerCertificateFilter implements WebFilter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The proven peer of a stream. */
    public record PeerPrincipal(PeerCertificate certificate) implements Principal {
        @Override
        public String getName() {
            return certificate.identity().toString();
        }
    }

    private final Supplier<TrustBundle> bundle;
    private final String trustDomain;
    private final Clock clock;

    public PeerCertificateFilter(Supplier<TrustBundle> bundle, String trustDomain, Clock clock) {
        this.bundle = bundle;
        this.trustDomain = trustDomain;
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().equals(ControlPlaneStreamHandler.PATH)) {
            return chain.filter(exchange);
        }
        SslInfo ssl = exchange.getRequest().getSslInfo();
        X509Certificate[] presented = ssl == null ? null : ssl.getPeerCertificates();
        if (presented == null || presented.length == 0) {
            return refuse(exchange, "the control-plane stream needs mutual TLS: connect with the workload certificate "
                    + "issued by POST /v1/certificates");
        }
        List<X509Certificate> certificates = List.of(presented);
        try {
            var identity = bundle.get().verify(certificates, clock.instant(), trustDomain);
            PeerPrincipal principal = new PeerPrincipal(new PeerCertificate(identity, certificates));
            return chain.filter(exchange.mutate().principal(Mono.just(principal)).build());
        } catch (TrustBundle.Untrusted e) {
            return refuse(exchange, "the client certificate is not trusted: " + e.getMessage());
        }
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, String message) {
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        DataBuffer body = response.bufferFactory().wrap(JSON.writeValueAsString(java.util.Map.of("error", message))
                .getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(body));
    }
}
