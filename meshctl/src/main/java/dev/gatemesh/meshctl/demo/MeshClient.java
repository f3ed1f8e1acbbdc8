package dev.gatemesh.meshctl.demo;

import com.sun.net.httpserver.Headers;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * How a demo app calls another bookinfo service: through its own sidecar's outbound listener used as
 * an HTTP proxy, with a short timeout so that a failing dependency shows as an error and not as a hang.
 */
final class MeshClient {

    /** The headers an app passes on to the services it calls: the user and the trace context. */
    static final List<String> FORWARDED = List.of("end-user", "x-request-id", "traceparent", "tracestate", "b3",
            "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled");

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final String NAMESPACE = "bookinfo";
    private static final int SERVICE_PORT = 9080;

    private final HttpClient client;
    private final int outboundPort;

    MeshClient(int outboundPort, ExecutorService executor) {
        this.outboundPort = outboundPort;
        this.client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", outboundPort)))
                .connectTimeout(TIMEOUT)
                .executor(executor)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** GETs {@code path} from {@code service}, passing on the forwarded headers found in {@code incoming}. */
    Reply get(String service, String path, Headers incoming) {
        return getAsync(service, path, incoming).join();
    }

    /** As {@link #get}, without waiting: a failure completes the future with a reply, never exceptionally. */
    CompletableFuture<Reply> getAsync(String service, String path, Headers incoming) {
        URI uri = URI.create("http://" + service + "." + NAMESPACE + ".svc.cluster.local:" + SERVICE_PORT + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        for (String name : FORWARDED) {
            String value = incoming.getFirst(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> error == null
                        ? new Reply(response.statusCode(), response.body(), null)
                        : new Reply(0, "", why(error)));
    }

    private String why(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HttpTimeoutException) {
            return "timed out after " + TIMEOUT.toSeconds() + " s";
        }
        if (cause instanceof ConnectException) {
            return "cannot connect to the sidecar's outbound listener on 127.0.0.1:" + outboundPort;
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /**
     * What came back: a status and body, or (status 0) why nothing came back.
     */
    record Reply(int status, String body, String failure) {

        boolean ok() {
            return status == 200;
        }

        /** The body as JSON, or null when it is not JSON. */
        JsonNode json() {
            try {
                return Http.JSON.readTree(body);
            } catch (JacksonException e) {
                return null;
            }
        }

        /** For a person: {@code HTTP 403 (RBAC: access denied)}, {@code no response (timed out after 3 s)}. */
        String problem() {
            if (status == 0) {
                return "no response (" + failure + ")";
            }
            String firstLine = body.strip().lines().findFirst().orElse("");
            return firstLine.isEmpty() ? "HTTP " + status : "HTTP " + status + " (" + firstLine + ")";
        }

        /** For the served-by line: the status code, or {@code failed}. */
        String shortStatus() {
            return status == 0 ? "failed" : Integer.toString(status);
        }
    }
}
