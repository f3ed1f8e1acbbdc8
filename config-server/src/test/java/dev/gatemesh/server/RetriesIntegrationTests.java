package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.proxy.route.RouteTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * End to end on loopback: productpage's sidecar retries its calls to a ratings app that fails every other request
 * with 503, and to reviews, whose v1 hangs while v2 answers, with a per-try timeout.
 */
class RetriesIntegrationTests {

    private static final String RATINGS = "ratings.bookinfo.svc.cluster.local";
    private static final String REVIEWS = "reviews.bookinfo.svc.cluster.local";
    private static final String RETRIES = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: ratings
              namespace: bookinfo
            spec:
              hosts:
              - ratings
              http:
              - retries:
                  attempts: 3
                  retryOn: 5xx
                route:
                - destination:
                    host: ratings
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
              namespace: bookinfo
            spec:
              hosts:
              - reviews
              http:
              - timeout: 5s
                retries:
                  attempts: 2
                  perTryTimeout: 200ms
                  retryOn: gateway-error,connect-failure
                route:
                - destination:
                    host: reviews
            """;

    @TempDir
    Path folder;
    @TempDir
    Path home;
    private LocalMesh mesh;
    /** Requests ratings received; the even ones (the first included) fail with 503. */
    private final AtomicInteger ratingsRequests = new AtomicInteger();
    private final List<byte[]> ratingsBodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        mesh = new LocalMesh(folder, home).workload("productpage-v1", "productpage", "v1").workload("ratings-v1", "ratings", "v1")
                .workload("reviews-v1", "reviews", "v1").workload("reviews-v2", "reviews", "v2");
        mesh.writeConfig(RETRIES).startServer();
        mesh.startAppWith("ratings-v1", (request, response) -> request.receive().aggregate().asByteArray()
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    ratingsBodies.add(body);
                    boolean fail = ratingsRequests.getAndIncrement() % 2 == 0 || "always".equals(request.requestHeaders().get("x-fail"));
                    return response.status(fail ? 503 : 200)
                            .header("x-seen-body", body.length + " bytes, crc " + LocalMesh.crc(body))
                            .sendString(Mono.just(fail ? "unavailable" : "ratings-v1")).then();
                }));
        mesh.startAppWith("reviews-v1", (request, response) -> Mono.never());
        mesh.startApps();
        for (String name : mesh.workloads.keySet()) {
            mesh.startSidecar(name, RouteTable.OutboundPolicy.ALLOW_ANY);
        }
        await().atMost(WAIT).until(() -> mesh.workloads.keySet().stream().allMatch(n -> mesh.sidecar(n).isReady()));
    }

    @AfterEach
    void stop() {
        mesh.close();
    }

    @Test
    void retriesMakeABackendFailingHalfItsRequestsLookHealthy() {
        int succeeded = 0;
        for (int i = 0; i < 200; i++) {
            if (mesh.call("productpage-v1", "ratings:9080", "/ratings/" + i, Map.of()).status() == 200) {
                succeeded++;
            }
        }
        assertThat(succeeded / 200.0).isGreaterThan(0.99);
        assertThat(ratingsRequests.get()).as("one retry per request").isEqualTo(400);
    }

    @Test
    void aHangingEndpointIsLeftAfterThePerTryTimeoutForAHealthyOne() {
        for (int i = 0; i < 6; i++) {
            long start = System.nanoTime();
            LocalMesh.Reply reply = mesh.call("productpage-v1", "reviews:9080", "/reviews/" + i, Map.of());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("reviews-v2");
            assertThat(took).as("well within the route's 5 s").isLessThan(Duration.ofMillis(2000));
        }
        Counter perTry = mesh.metrics.get("productpage-v1").find("gatemesh.timeouts").tag("kind", "per_try")
                .tag("destination_service", REVIEWS).tag("reporter", "source").counter();
        assertThat(perTry).isNotNull();
        assertThat(perTry.count()).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void aPostIsRetriedWithTheSameBody() {
        byte[] body = LocalMesh.bytes(10_000);
        int port = mesh.workloads.get("productpage-v1").outboundPort();
        LocalMesh.Reply reply = HttpClient.create()
                .headers(h -> h.set("Host", "ratings:9080").set("Content-Length", body.length))
                .post().uri("http://127.0.0.1:" + port + "/ratings/1")
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                .responseSingle((response, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new LocalMesh.Reply(response.status().code(), text, response.responseHeaders())))
                .block(WAIT);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().get("x-seen-body")).isEqualTo(body.length + " bytes, crc " + LocalMesh.crc(body));
        assertThat(ratingsBodies).hasSize(2).allSatisfy(seen -> assertThat(seen).isEqualTo(body));
    }

    @Test
    void retriesAreCountedByDestinationReporterAndResult() {
        for (int i = 0; i < 10; i++) {
            assertThat(mesh.call("productpage-v1", "ratings", "/ratings/" + i, Map.of()).status()).isEqualTo(200);
        }
        LocalMesh.Reply failed = mesh.call("productpage-v1", "ratings", "/ratings/x", Map.of("x-fail", "always"));
        assertThat(failed.status()).as("the last try's answer").isEqualTo(503);
        assertThat(failed.body()).isEqualTo("unavailable");
        MeterRegistry source = mesh.metrics.get("productpage-v1");
        assertThat(retries(source, "retried")).isEqualTo(13.0);
        assertThat(retries(source, "exhausted")).isEqualTo(1.0);
        assertThat(source.find("gatemesh.retries").tag("result", "budget_exhausted").counter()).isNull();
        await().atMost(WAIT).untilAsserted(() -> assertThat(source.find("istio_requests_total").tag("reporter", "source")
                .tag("destination_service", RATINGS).tag("response_code", "200").counter().count()).isEqualTo(10.0));
    }

    private static double retries(MeterRegistry registry, String result) {
        Counter counter = registry.find("gatemesh.retries").tag("result", result).tag("destination_service", RATINGS)
                .tag("reporter", "source").counter();
        assertThat(counter).as("gatemesh.retries{result=%s}", result).isNotNull();
        return counter.count();
    }
}
