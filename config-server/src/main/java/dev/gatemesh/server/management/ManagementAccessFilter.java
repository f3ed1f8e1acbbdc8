package dev.gatemesh.server.management;

import java.nio.charset.StandardCharsets;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Guards the config server's management port (actuator): loopback is not a boundary (in local mode every
 * workload's sidecar runs on 127.0.0.1 and passes its app's traffic through), so everything there needs the
 * management credential, except the kubelet's probe paths, which answer a caller without it with a status and
 * nothing else. On the mesh port, reachable by every workload, {@code /livez} and {@code /readyz} answer the same
 * way. Actuator itself shows details to whoever it serves; this filter decides who that is.
 */
public final class ManagementAccessFilter implements WebFilter, Ordered {

    static final String MANAGEMENT_NAMESPACE = "management";

    static final String REFUSAL = "The management port needs the management credential: send Authorization: Bearer "
            + "<the file " + ManagementToken.FILE_NAME + " in the config server's home>\n";

    private final ManagementToken token;
    private final ProbeAnswers probes;

    public ManagementAccessFilter(ManagementToken token, ProbeAnswers probes) {
        this.token = token;
        this.probes = probes;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        boolean management = WebServerApplicationContext.hasServerNamespace(exchange.getApplicationContext(),
                MANAGEMENT_NAMESPACE);
        if (!management) {
            return path.equals("/livez") || path.equals("/readyz") ? probe(exchange, path) : chain.filter(exchange);
        }
        if (hasCredential(exchange)) {
            return chain.filter(exchange);
        }
        if (ProbeAnswers.isProbe(path)) {
            return probe(exchange, path);
        }
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"gatemesh-management\"");
        response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
        return write(response, REFUSAL);
    }

    private boolean hasCredential(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        return header != null && header.startsWith("Bearer ") && token.matches(header.substring("Bearer ".length()).trim());
    }

    private Mono<Void> probe(ServerWebExchange exchange, String path) {
        return Mono.fromCallable(() -> probes.answer(path))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(answer -> {
                    ServerHttpResponse response = exchange.getResponse();
                    if (answer.isEmpty()) {
                        response.setStatusCode(HttpStatus.NOT_FOUND);
                        return response.setComplete();
                    }
                    response.setStatusCode(HttpStatus.valueOf(answer.get().httpStatus()));
                    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
                    return write(response, answer.get().body());
                });
    }

    private static Mono<Void> write(ServerHttpResponse response, String body) {
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
    }

    /** Before everything else, so that nothing is served before the credential is checked. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
