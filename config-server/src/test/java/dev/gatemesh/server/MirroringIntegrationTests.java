package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.proxy.route.RouteTable;
import io.micrometer.core.instrument.Counter;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * End to end on loopback: productpage calls reviews v1, and the VirtualService mirrors to reviews v2 (whose app
 * records what it receives, answers slowly or never on {@code /slow}, and 500 on {@code /fail}), or to reviews v3,
 * which has neither app nor sidecar (connection refused). productpage's sidecar draws percentages with a seeded random.
 */
class MirroringIntegrationTests {

    private static final long SEED = 20261125;
    private static final String REVIEWS = "reviews.bookinfo.svc.cluster.local";
    private static final String MIRRORING = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: reviews
              namespace: bookinfo
            spec:
              host: reviews
              subsets:
              - name: v1
                labels:
                  version: v1
              - name: v2
                labels:
                  version: v2
              - name: v3
                labels:
                  version: v3
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
              - match:
                - uri:
                    prefix: /half
                route:
                - destination:
                    host: reviews
                    subset: v1
                mirror:
                  host: reviews
                  subset: v2
                mirrorPercentage:
                  value: 50.0
              - match:
                - uri:
                    prefix: /refused
                route:
                - destination:
                    host: reviews
                    subset: v1
                mirror:
                  host: reviews
                  subset: v3
              - route:
                - destination:
                    host: reviews
                    subset: v1
                mirror:
                  host: reviews
                  subset: v2
            """;

    /** What the mirror's app received: path, Host and body size. */
    private record Seen(String path, String host, int bodyBytes) {
    }

    @TempDir
    Path folder;
    @TempDir
    Path home;
    private LocalMesh mesh;
    private final List<Seen> seenByMirror = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        mesh = new LocalMesh(folder, home).workload("productpage-v1", "productpage", "v1")
                .workload("reviews-v1", "reviews", "v1").workload("reviews-v2", "reviews", "v2")
                .workload("reviews-v3", "reviews", "v3");
        mesh.writeConfig(MIRRORING).startServer();
        mesh.startAppWith("reviews-v1", (request, response) -> request.receive().then(
                response.sendString(Mono.just("reviews-v1")).then()));
        mesh.startAppWith("reviews-v2", (request, response) -> request.receive().aggregate().asByteArray()
                .defaultIfEmpty(new byte[0]).flatMap(body -> {
                    seenByMirror.add(new Seen(request.uri(), request.requestHeaders().get("host"), body.length));
                    if (request.uri().startsWith("/slow")) {
                        return Mono.never();
                    }
                    return response.status(request.uri().startsWith("/fail") ? 500 : 200)
                            .sendString(Mono.just("reviews-v2")).then();
                }));
        mesh.startSidecar("productpage-v1", RouteTable.OutboundPolicy.ALLOW_ANY, new SplittableRandom(SEED));
        mesh.startSidecar("reviews-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        mesh.startSidecar("reviews-v2", RouteTable.OutboundPolicy.ALLOW_ANY);
        await().atMost(WAIT).until(() -> List.of("productpage-v1", "reviews-v1", "reviews-v2").stream()
                .allMatch(n -> mesh.sidecar(n).isReady()));
    }

    @AfterEach
    void stop() {
        mesh.close();
    }

    @Test
    void everyRequestReachesTheMirrorWithTheShadowHostAndItsBody() {
        for (int i = 0; i < 10; i++) {
            LocalMesh.Reply reply = mesh.call("productpage-v1", REVIEWS + ":9080", "/reviews/" + i, Map.of());
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("reviews-v1");
        }
        byte[] body = "{\"stars\": 5}".getBytes(StandardCharsets.UTF_8);
        LocalMesh.Reply posted = post(REVIEWS + ":9080", "/reviews/post", body);
        assertThat(posted.status()).isEqualTo(200);
        await().atMost(WAIT).untilAsserted(() -> assertThat(seenByMirror).hasSize(11));
        assertThat(seenByMirror).allSatisfy(seen -> assertThat(seen.host()).isEqualTo(REVIEWS + "-shadow:9080"));
        assertThat(seenByMirror).filteredOn(seen -> seen.path().equals("/reviews/post")).singleElement()
                .extracting(Seen::bodyBytes).isEqualTo(body.length);
        await().atMost(WAIT).untilAsserted(() -> assertThat(mirrored("sent")).isEqualTo(11.0));
    }

    @Test
    void aBodyLargerThanTheMirrorLimitIsNotMirroredButCountedAsSkipped() {
        byte[] large = LocalMesh.bytes(100 * 1024);
        LocalMesh.Reply posted = post(REVIEWS + ":9080", "/reviews/large", large);
        assertThat(posted.status()).isEqualTo(200);
        assertThat(mirrored("skipped")).isEqualTo(1.0);
        mesh.call("productpage-v1", REVIEWS + ":9080", "/reviews/small", Map.of());
        await().atMost(WAIT).untilAsserted(() -> assertThat(seenByMirror).extracting(Seen::path).containsExactly("/reviews/small"));
    }

    @Test
    void aMirrorThatNeverAnswersDelaysNeitherTheCallerNorItsStatus() {
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            LocalMesh.Reply reply = mesh.call("productpage-v1", "reviews:9080", "/slow/" + i, Map.of());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("reviews-v1");
            assertThat(took).isLessThan(Duration.ofMillis(500));
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(seenByMirror).hasSize(5));
        assertThat(mirrored("sent") + mirrored("failed")).as("the copies still hang").isZero();
    }

    @Test
    void aMirrorAnswering500DoesNotChangeTheCallersStatusAndIsCountedAsFailed() {
        for (int i = 0; i < 5; i++) {
            LocalMesh.Reply reply = mesh.call("productpage-v1", "reviews:9080", "/fail/" + i, Map.of());
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("reviews-v1");
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(mirrored("failed")).isEqualTo(5.0));
        assertThat(seenByMirror).hasSize(5);
    }

    @Test
    void aMirrorThatRefusesConnectionsDoesNotChangeTheCallersStatus() {
        for (int i = 0; i < 5; i++) {
            LocalMesh.Reply reply = mesh.call("productpage-v1", "reviews:9080", "/refused/" + i, Map.of());
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("reviews-v1");
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(mirrored("failed")).isEqualTo(5.0));
    }

    @Test
    void fiftyPercentWithASeededRandomMirrorsExactlyTheSeedsShare() {
        SplittableRandom same = new SplittableRandom(SEED);
        int expected = 0;
        for (int i = 0; i < 100; i++) {
            if (same.nextDouble() * 100 < 50) {
                expected++;
            }
            assertThat(mesh.call("productpage-v1", "reviews", "/half/" + i, Map.of()).status()).isEqualTo(200);
        }
        int predicted = expected;
        assertThat(predicted).isBetween(30, 70);
        await().atMost(WAIT).untilAsserted(() -> assertThat(mirrored("sent")).isEqualTo(predicted));
        assertThat(seenByMirror).hasSize(predicted);
    }

    @Test
    void theCopiesAreNotCountedAsTheCallersRequests() {
        for (int i = 0; i < 3; i++) {
            mesh.call("productpage-v1", "reviews", "/reviews/" + i, Map.of());
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(mirrored("sent")).isEqualTo(3.0));
        double sourceRequests = mesh.metrics.get("productpage-v1").find("istio_requests_total").tag("reporter", "source")
                .counters().stream().mapToDouble(Counter::count).sum();
        assertThat(sourceRequests).isEqualTo(3.0);
    }

    /** productpage POSTs {@code body} (with its Content-Length) through its sidecar. */
    private LocalMesh.Reply post(String host, String path, byte[] body) {
        return reactor.netty.http.client.HttpClient.create().headers(h -> h.set("Host", host))
                .request(HttpMethod.POST).uri("http://127.0.0.1:" + mesh.workloads.get("productpage-v1").outboundPort() + path)
                .send(Mono.just(io.netty.buffer.Unpooled.wrappedBuffer(body)))
                .responseSingle((response, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new LocalMesh.Reply(response.status().code(), text, response.responseHeaders())))
                .block(Duration.ofSeconds(10));
    }

    private double mirrored(String result) {
        Counter counter = mesh.metrics.get("productpage-v1").find("gatemesh.mirror.requests").tag("reporter", "source")
                .tag("destination_service", REVIEWS).tag("result", result).counter();
        return counter == null ? 0 : counter.count();
    }
}
