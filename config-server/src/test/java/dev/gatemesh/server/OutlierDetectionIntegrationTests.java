package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.proxy.route.RouteTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/** End to end on loopback: one of three ratings endpoints answers 500 until healed; productpage's sidecar ejects it. */
class OutlierDetectionIntegrationTests {

    private static final String RATINGS = "ratings.bookinfo.svc.cluster.local";
    private static final String OUTLIER_DETECTION = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: ratings
              namespace: bookinfo
            spec:
              host: ratings
              trafficPolicy:
                outlierDetection:
                  consecutive5xxErrors: 3
                  interval: 100ms
                  baseEjectionTime: 1s
                  maxEjectionPercent: 100
            """;

    @TempDir
    Path folder;
    @TempDir
    Path home;
    private LocalMesh mesh;
    private final AtomicBoolean failing = new AtomicBoolean(true);

    @BeforeEach
    void start() throws Exception {
        mesh = new LocalMesh(folder, home).workload("productpage-v1", "productpage", "v1")
                .workload("ratings-v1", "ratings", "v1").workload("ratings-v2", "ratings", "v2")
                .workload("ratings-v3", "ratings", "v3");
        mesh.writeConfig(OUTLIER_DETECTION).startServer()
                .startAppWith("ratings-v3", (request, response) -> failing.get()
                        ? response.status(500).sendString(Mono.just("ratings-v3 failing")).then()
                        : response.sendString(Mono.just("ratings-v3")).then())
                .startApps();
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
    void anEndpointAnswering500IsEjectedThenReturnsAfterTheBaseEjectionTime() {
        String failingEndpoint = "127.0.0.1:" + mesh.workloads.get("ratings-v3").appPort();
        await().atMost(WAIT).untilAsserted(() -> {
            mesh.call("productpage-v1", "ratings", "/ratings/0", Map.of());
            assertThat(ejections(failingEndpoint)).isEqualTo(1.0);
        });
        long ejectedAt = System.nanoTime();
        Set<String> answeredBy = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            LocalMesh.Reply reply = mesh.call("productpage-v1", "ratings", "/ratings/" + i, Map.of());
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            answeredBy.add(reply.body());
        }
        long elapsedMillis = (System.nanoTime() - ejectedAt) / 1_000_000;
        if (elapsedMillis < 900) { // the calls above ran within the ejection: only the healthy two answered
            assertThat(answeredBy).containsExactlyInAnyOrder("ratings-v1", "ratings-v2");
        }
        Gauge ejected = mesh.metrics.get("productpage-v1").find("gatemesh.outlier.ejected").tag("destination_service", RATINGS)
                .gauge();
        assertThat(ejected).isNotNull();
        failing.set(false);
        await().atMost(WAIT).untilAsserted(() -> assertThat(mesh.call("productpage-v1", "ratings", "/ratings/x", Map.of())
                .body()).isEqualTo("ratings-v3"));
        assertThat(Duration.ofNanos(System.nanoTime() - ejectedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(ejected.value()).isZero();
        assertThat(ejections(failingEndpoint)).isEqualTo(1.0);
    }

    @Test
    void failuresHiddenByRetriesStillEjectTheFailingEndpoint() throws Exception {
        java.nio.file.Files.writeString(folder.resolve("policy.yaml"), OUTLIER_DETECTION + """
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: ratings
                  namespace: bookinfo
                spec:
                  hosts: [ratings]
                  http:
                  - retries: {attempts: 2, retryOn: 5xx}
                    route:
                    - destination: {host: ratings}
                """);
        String failingEndpoint = "127.0.0.1:" + mesh.workloads.get("ratings-v3").appPort();
        await().atMost(WAIT).untilAsserted(() -> assertThat(retried()).isPositive());
        await().atMost(WAIT).untilAsserted(() -> {
            LocalMesh.Reply reply = mesh.call("productpage-v1", "ratings", "/ratings/0", Map.of());
            assertThat(reply.status()).as("the retry hides the failure from the caller").isEqualTo(200);
            assertThat(ejections(failingEndpoint)).isEqualTo(1.0);
        });
    }

    /** Calls until one was retried (the VirtualService with retries is in force) and returns the retries counted. */
    private double retried() {
        mesh.call("productpage-v1", "ratings", "/ratings/0", Map.of());
        return mesh.metrics.get("productpage-v1").find("gatemesh.retries").tag("result", "retried").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private double ejections(String endpoint) {
        Counter counter = mesh.metrics.get("productpage-v1").find("gatemesh.outlier.ejections")
                .tag("destination_service", RATINGS).tag("endpoint", endpoint).counter();
        return counter == null ? 0 : counter.count();
    }
}
