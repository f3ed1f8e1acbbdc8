package dev.gatemesh.server.stream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Only a proxy that presents the bootstrap credential ({@code Authorization: Bearer <token>}) may open
 * the control-plane stream. (Workload certificates replace this when the mesh CA arrives.)
 */
public final class BootstrapTokenFilter implements WebFilter {

    private final byte[] token;

    public BootstrapTokenFilter(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().equals(ControlPlaneStreamHandler.PATH)) {
            return chain.filter(exchange);
        }
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header != null && header.startsWith("Bearer ")
                && MessageDigest.isEqual(token, header.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8))) {
            return chain.filter(exchange);
        }
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        DataBuffer body = response.bufferFactory().wrap(("{\"error\":\"the control-plane stream needs the bootstrap "
                + "token: Authorization: Bearer <token>\"}").getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(body));
    }
}
