package dev.gatemesh.meshctl.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Stands in for the sidecars' outbound listeners: an HTTP proxy on loopback that takes absolute-form
 * requests ({@code GET http://reviews.bookinfo.svc.cluster.local:9080/reviews/0}) and routes them by the
 * host's first label to an app port, records what it relayed, and can answer for a service instead.
 */
final class FakeSidecar implements AutoCloseable {

    private static final Set<String> NOT_COPIED = Set.of("connection", "content-length", "date", "expect", "from",
            "host", "upgrade", "via", "warning", "keep-alive", "proxy-connection");

    /** One relayed request: the service (host's first label), path and the headers it carried. */
    record Relayed(String service, String path, Map<String, String> headers) {
    }

    private record Canned(int status, String body) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Integer> routes = new ConcurrentHashMap<>();
    private final Map<String, Canned> canned = new ConcurrentHashMap<>();
    private final List<Relayed> relayed = new CopyOnWriteArrayList<>();

    FakeSidecar() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", this::relay);
        server.setExecutor(threads);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    FakeSidecar route(String service, int appPort) {
        routes.put(service, appPort);
        return this;
    }

    /** Answers every request for {@code service} itself, as a sidecar denying or aborting it would. */
    FakeSidecar answer(String service, int status, String body) {
        canned.put(service, new Canned(status, body));
        return this;
    }

    List<Relayed> relayed(String service) {
        return relayed.stream().filter(r -> r.service().equals(service)).toList();
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI target = exchange.getRequestURI();
            String service = target.getHost() == null ? "" : target.getHost().split("\\.")[0];
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            relayed.add(new Relayed(service, target.getRawPath(), headers));
            Canned answer = canned.get(service);
            Integer port = routes.get(service);
            if (answer != null) {
                send(exchange, answer.status(), answer.body(), null);
            } else if (port == null) {
                send(exchange, 404, "no route to " + target.getHost(), null);
            } else {
                forward(exchange, port, target, headers);
            }
        }
    }

    private void forward(HttpExchange exchange, int port, URI target, Map<String, String> headers) throws IOException {
        String query = target.getRawQuery() == null ? "" : "?" + target.getRawQuery();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + target.getRawPath() + query)).timeout(Duration.ofSeconds(3));
        headers.forEach((name, value) -> {
            if (!NOT_COPIED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                request.header(name, value);
            }
        });
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            send(exchange, response.statusCode(), response.body(),
                    response.headers().firstValue(Http.SERVED_BY).orElse(null));
        } catch (IOException e) {
            send(exchange, 503, "upstream connect error", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(exchange, 503, "interrupted", null);
        }
    }

    private static void send(HttpExchange exchange, int status, String body, String servedBy) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (servedBy != null) {
            exchange.getResponseHeaders().set(Http.SERVED_BY, servedBy);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
