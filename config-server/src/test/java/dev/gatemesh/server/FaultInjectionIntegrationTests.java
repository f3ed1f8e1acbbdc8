package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.proxy.route.RouteTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on loopback: a VirtualService injects faults into productpage's calls to ratings, as Istio's
 * fault-injection task does. productpage's sidecar draws the percentages with a seeded random.
 */
class FaultInjectionIntegrationTests {

    private static final long SEED = 20261125;
    private static final String RATINGS = "ratings.bookinfo.svc.cluster.local";
    private static final String FAULTS = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: ratings
              namespace: bookinfo
            spec:
              hosts:
              - ratings
              http:
              - match:
                - headers:
                    end-user:
                      exact: jason
                fault:
                  abort:
                    percentage:
                      value: 100.0
                    httpStatus: 500
                route:
                - destination:
                    host: ratings
              - match:
                - uri:
                    prefix: /slow
                timeout: 1s
                fault:
                  delay:
                    percentage:
                      value: 100.0
                    fixedDelay: 2s
                route:
                - destination:
                    host: ratings
              - match:
                - uri:
                    prefix: /flaky
                fault:
                  abort:
                    percentage:
                      value: 50
                    httpStatus: 503
                route:
                - destination:
                    host: ratings
              - route:
                - destination:
                    host: ratings
            """;

    @TempDir
    Path folder;
    @TempDir
    Path home;
    private LocalMesh mesh;

    @BeforeEach
    void start() throws Exception {
        mesh = new LocalMesh(folder, home).workload("productpage-v1", "productpage", "v1").workload("ratings-v1", "ratings", "v1");
        mesh.writeConfig(FAULTS).startServer().startApps();
        mesh.startSidecar("productpage-v1", RouteTable.OutboundPolicy.ALLOW_ANY, new SplittableRandom(SEED));
        mesh.startSidecar("ratings-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        await().atMost(WAIT).until(() -> mesh.workloads.keySet().stream().allMatch(n -> mesh.sidecar(n).isReady()));
    }

    @AfterEach
    void stop() {
        mesh.close();
    }

    @Test
    void jasonGetsEnvoysAbortWithoutReachingTheAppWhileOthersReachIt() {
        for (int i = 0; i < 5; i++) {
            LocalMesh.Reply aborted = mesh.call("productpage-v1", "ratings:9080", "/ratings/0", Map.of("end-user", "jason"));
            assertThat(aborted.status()).isEqualTo(500);
            assertThat(aborted.body()).isEqualTo("fault filter abort");
            assertThat(aborted.headers().get("x-seen-path")).as("the app never saw it").isNull();
        }
        LocalMesh.Reply other = mesh.call("productpage-v1", "ratings:9080", "/ratings/0", Map.of("end-user", "mary"));
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.body()).isEqualTo("ratings-v1");
        assertThat(mesh.call("productpage-v1", "ratings", "/ratings/0", Map.of()).body()).isEqualTo("ratings-v1");
        await().atMost(WAIT).untilAsserted(() -> assertThat(requestsReceivedByRatings()).isEqualTo(2.0));
    }

    @Test
    void anAbortIsCountedAsAFaultAndAsARequestWithItsStatus() {
        for (int i = 0; i < 3; i++) {
            mesh.call("productpage-v1", "ratings", "/ratings/0", Map.of("end-user", "jason"));
        }
        MeterRegistry source = mesh.metrics.get("productpage-v1");
        Counter faults = source.find("gatemesh.faults.injected").tag("kind", "abort").tag("destination_service", RATINGS)
                .tag("reporter", "source").counter();
        assertThat(faults).isNotNull();
        assertThat(faults.count()).isEqualTo(3.0);
        assertThat(source.find("gatemesh.faults.injected").tag("kind", "delay").counter()).isNull();
        await().atMost(WAIT).untilAsserted(() -> assertThat(source.find("istio_requests_total").tag("reporter", "source")
                .tag("destination_service", RATINGS).tag("response_code", "500").counter().count()).isEqualTo(3.0));
    }

    @Test
    void aDelayLongerThanTheRouteTimeoutAnswers504AndTheConnectionServesTheNextRequest() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", mesh.workloads.get("productpage-v1").outboundPort())) {
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            RawReply timedOut = get(socket, "/slow/1");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(timedOut.status()).as(timedOut.body()).isEqualTo(504);
            assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofMillis(1900));
            RawReply next = get(socket, "/ratings/1");
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).isEqualTo("ratings-v1");
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(requestsReceivedByRatings())
                .as("the delayed request was never sent on").isEqualTo(1.0));
        assertThat(mesh.metrics.get("productpage-v1").find("gatemesh.faults.injected").tag("kind", "delay")
                .tag("destination_service", RATINGS).counter().count()).isEqualTo(1.0);
        await().atMost(WAIT).untilAsserted(() -> assertThat(mesh.metrics.get("productpage-v1").find("istio_requests_total")
                .tag("response_code", "504").counter().count()).isEqualTo(1.0));
    }

    @Test
    void aFiftyPercentAbortWithASeededRandomAbortsExactlyTheSeedsShare() {
        SplittableRandom same = new SplittableRandom(SEED);
        int expected = 0;
        int aborted = 0;
        for (int i = 0; i < 200; i++) {
            if (same.nextDouble() * 100 < 50) {
                expected++;
            }
            LocalMesh.Reply reply = mesh.call("productpage-v1", "ratings", "/flaky/" + i, Map.of());
            if (reply.status() == 503) {
                assertThat(reply.body()).isEqualTo("fault filter abort");
                aborted++;
            } else {
                assertThat(reply.status()).isEqualTo(200);
            }
        }
        assertThat(aborted).isEqualTo(expected).isBetween(70, 130);
        assertThat(mesh.metrics.get("productpage-v1").find("gatemesh.faults.injected").tag("kind", "abort").counter().count())
                .isEqualTo(expected);
    }

    private double requestsReceivedByRatings() {
        return mesh.metrics.get("ratings-v1").find("istio_requests_total").tag("reporter", "destination").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private record RawReply(int status, String body) {
    }

    /** One HTTP/1.1 request on a kept-alive connection, and its response (read by its Content-Length). */
    private static RawReply get(Socket socket, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: ratings:9080\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return new RawReply(status, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed before the response's headers ended: " + head);
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
