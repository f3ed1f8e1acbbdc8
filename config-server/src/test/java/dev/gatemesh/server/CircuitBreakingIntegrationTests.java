package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.proxy.route.RouteTable;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * End to end on loopback, as Istio's circuit-breaking task: ratings allows one connection and one waiting request;
 * productpage sends 20 at once to a ratings that answers only when the test lets it.
 */
class CircuitBreakingIntegrationTests {

    private static final String RATINGS = "ratings.bookinfo.svc.cluster.local";
    private static final String CIRCUIT_BREAKER = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: ratings
              namespace: bookinfo
            spec:
              host: ratings
              trafficPolicy:
                connectionPool:
                  tcp:
                    maxConnections: 1
                  http:
                    http1MaxPendingRequests: 1
                    maxRequestsPerConnection: 1
            """;

    @TempDir
    Path folder;
    @TempDir
    Path home;
    private LocalMesh mesh;
    private final Sinks.Empty<Void> release = Sinks.empty();
    private final AtomicInteger reachedRatings = new AtomicInteger();
    private final ConnectionProvider callers = ConnectionProvider.builder("callers").maxConnections(50).build();

    @BeforeEach
    void start() throws Exception {
        mesh = new LocalMesh(folder, home).workload("productpage-v1", "productpage", "v1").workload("ratings-v1", "ratings", "v1");
        mesh.writeConfig(CIRCUIT_BREAKER).startServer()
                .startAppWith("ratings-v1", (request, response) -> {
                    reachedRatings.incrementAndGet();
                    return release.asMono().then(response.sendString(Mono.just("ratings-v1")).then());
                })
                .startApps();
        mesh.startSidecar("productpage-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        mesh.startSidecar("ratings-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        await().atMost(WAIT).until(() -> mesh.workloads.keySet().stream().allMatch(n -> mesh.sidecar(n).isReady()));
    }

    @AfterEach
    void stop() {
        release.tryEmitEmpty();
        callers.dispose();
        mesh.close();
    }

    @Test
    void overTheConnectionAndPendingLimitsCallersGet503OverloadedAtOnceAndTheRestSucceed() {
        ConcurrentLinkedQueue<LocalMesh.Reply> replies = new ConcurrentLinkedQueue<>();
        HttpClient client = HttpClient.create(callers).headers(h -> h.set("Host", "ratings:9080"));
        String url = "http://127.0.0.1:" + mesh.workloads.get("productpage-v1").outboundPort() + "/ratings/0";
        for (int i = 0; i < 20; i++) {
            client.get().uri(url).responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                            .map(text -> new LocalMesh.Reply(response.status().code(), text, response.responseHeaders())))
                    .subscribe(replies::add);
        }
        // ratings holds its answer until released: the 18 over the limits are answered without waiting for it.
        await().atMost(WAIT).until(() -> replies.size() == 18);
        assertThat(reachedRatings).as("one request in flight, one waiting in productpage's sidecar").hasValue(1);
        for (LocalMesh.Reply reply : replies) {
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.headers().get("x-envoy-overloaded")).isEqualTo("true");
            assertThat(reply.body()).contains("circuit breaker open for " + RATINGS).contains("http1MaxPendingRequests");
        }
        release.tryEmitEmpty();
        await().atMost(WAIT).until(() -> replies.size() == 20);
        List<LocalMesh.Reply> ok = replies.stream().filter(r -> r.status() == 200).toList();
        assertThat(ok).hasSize(2).allSatisfy(reply -> assertThat(reply.body()).isEqualTo("ratings-v1"));
        assertThat(reachedRatings).hasValue(2);
        Counter overflows = mesh.metrics.get("productpage-v1").find("gatemesh.overflows")
                .tag("destination_service", RATINGS).tag("reporter", "source").tag("limit", "http1MaxPendingRequests").counter();
        assertThat(overflows).isNotNull();
        assertThat(overflows.count()).isEqualTo(18.0);
        await().atMost(WAIT).untilAsserted(() -> assertThat(mesh.metrics.get("productpage-v1").find("istio_requests_total")
                .tag("destination_service", RATINGS).tag("response_code", "503").counter().count()).isEqualTo(18.0));
    }

    @Test
    void whenTheCircuitClosesAgainRequestsFlow() {
        release.tryEmitEmpty();
        for (int i = 0; i < 5; i++) {
            LocalMesh.Reply reply = mesh.call("productpage-v1", "ratings:9080", "/ratings/" + i, java.util.Map.of());
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("ratings-v1");
        }
        assertThat(mesh.metrics.get("productpage-v1").find("gatemesh.overflows").counter()).isNull();
    }
}
