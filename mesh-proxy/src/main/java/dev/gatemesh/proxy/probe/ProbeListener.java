package dev.gatemesh.proxy.probe;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The only port of a proxy the kubelet (and anything else on the pod's network) reaches besides the data path:
 * like Istio's health port 15021, it answers {@code GET /livez}, {@code /readyz} and Istio's {@code /healthz/ready}
 * with 200 or 503 and a body that says UP or DOWN, nothing more. Everything else is a 404 with an empty body. The
 * management port (actuator: metrics, details, identity) stays on loopback.
 */
public final class ProbeListener implements AutoCloseable {

    public static final int ISTIO_PORT = 15021;

    private static final String UP = "{\"status\":\"UP\"}";
    private static final String DOWN = "{\"status\":\"DOWN\"}";

    private final DisposableServer server;

    private ProbeListener(DisposableServer server) {
        this.server = server;
    }

    /**
     * Binds {@code host:port} (0: any free port) and serves the probe paths from {@code checks}.
     *
     * @throws IllegalStateException naming the address when it cannot be bound
     */
    public static ProbeListener start(String host, int port, ProbeChecks checks) {
        Map<String, BooleanSupplier> paths = Map.of("/livez", checks.live(), "/readyz", checks.ready(),
                "/healthz/ready", checks.ready());
        try {
            DisposableServer server = HttpServer.create().host(host).port(port)
                    .handle((request, response) -> answer(paths, request, response))
                    .bindNow();
            return new ProbeListener(server);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the probe listener cannot listen on " + host + ":" + port + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "); set gatemesh.proxy.probe.port to a free port, or -1 for none", e);
        }
    }

    private static Mono<Void> answer(Map<String, BooleanSupplier> paths, HttpServerRequest request,
                                     HttpServerResponse response) {
        String path = request.fullPath();
        BooleanSupplier check = paths.get(path);
        if (check == null || !"GET".equals(request.method().name())) {
            return response.status(HttpResponseStatus.NOT_FOUND).send();
        }
        return Mono.fromCallable(check::getAsBoolean)
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorReturn(false)
                .flatMap(ok -> response.status(ok ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE)
                        .header("Content-Type", "application/json")
                        .sendByteArray(Mono.just((ok ? UP : DOWN).getBytes(StandardCharsets.UTF_8))).then());
    }

    public int port() {
        return server.port();
    }

    public String host() {
        return server.host();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
