package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.testing.FreePorts;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.proxy.runtime.MeshProxy;
import dev.gatemesh.proxy.testing.RawHttp;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The security review's raw requests, replayed on a real sidecar's outbound listener (REGISTRY_ONLY) and a real
 * ingress gateway port: each malformed one is refused at the parsing stage with a plain-text reason and a closed
 * connection, and nothing behind the listener (the app, a loopback server the request names) ever hears of it;
 * pipelined requests are all answered, in order; a client dribbling its headers is disconnected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrictHttpParsingIntegrationTests {

    /** The default {@code gatemesh.proxy.request-headers-timeout}. */
    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path folder;
    @TempDir
    static Path home;
    private LocalMesh mesh;
    private MeshProxy gateway;
    private int gatewayPort;
    private final List<String> appSaw = new CopyOnWriteArrayList<>();
    private ServerSocket bystander;
    private final AtomicInteger bystanderConnections = new AtomicInteger();

    @BeforeAll
    void start() throws Exception {
        bystander = new ServerSocket(FreePorts.next(), 50, java.net.InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(() -> {
            while (!bystander.isClosed()) {
                try (Socket ignored = bystander.accept()) {
                    bystanderConnections.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "bystander");
        accepting.setDaemon(true);
        accepting.start();
        gatewayPort = FreePorts.next();
        mesh = new LocalMesh(folder, home).workload("productpage-v1", "productpage", "v1")
                .workload("reviews-v1", "reviews", "v1").gateway("istio-ingressgateway");
        mesh.writeConfig("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: bookinfo-gateway
                  namespace: istio-system
                spec:
                  selector:
                    istio: ingressgateway
                  servers:
                  - port:
                      number: %d
                      name: http
                      protocol: HTTP
                    hosts:
                    - "bookinfo.example.com"
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: bookinfo
                  namespace: bookinfo
                spec:
                  hosts:
                  - "bookinfo.example.com"
                  gateways:
                  - istio-system/bookinfo-gateway
                  http:
                  - route:
                    - destination:
                        host: reviews
                """.formatted(gatewayPort)).startServer();
        mesh.startAppWith("reviews-v1", (request, response) -> {
            appSaw.add(request.uri());
            byte[] body = ("reviews-v1 " + request.uri()).getBytes(StandardCharsets.UTF_8);
            return response.header("content-length", String.valueOf(body.length)).sendByteArray(Mono.just(body));
        }).startApps();
        mesh.startSidecar("productpage-v1", RouteTable.OutboundPolicy.REGISTRY_ONLY);
        mesh.startSidecar("reviews-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        gateway = mesh.startGateway("istio-ingressgateway", new dev.gatemesh.proxy.gateway.FileCredentialSource(
                home.resolve("credentials"), Duration.ofMillis(50), Duration.ofSeconds(2)), dev.gatemesh.proxy.gateway.RateLimitCheck.NONE);
        await().atMost(WAIT).until(() -> mesh.sidecar("productpage-v1").isReady() && mesh.sidecar("reviews-v1").isReady()
                && gateway.isReady() && gateway.gatewayPorts().openPorts().containsKey(gatewayPort));
    }

    @AfterAll
    void stop() throws IOException {
        if (mesh != null) {
            mesh.close();
        }
        if (bystander != null) {
            bystander.close();
        }
    }

    @BeforeEach
    void forget() {
        appSaw.clear();
    }

    private int outbound() {
        return mesh.workloads.get("productpage-v1").outboundPort();
    }

    /** The raw requests of the security review, each with the status it must get. */
    private List<Object[]> malformed() {
        int port = bystander.getLocalPort();
        return List.of(
                new Object[] {"OPTIONS * HTTP/1.1\r\nHost: reviews\r\n\r\n", 400},
                new Object[] {"GET admin/x HTTP/1.1\r\nHost: reviews\r\n\r\n", 400},
                new Object[] {"GET @127.0.0.1:" + port + "/x HTTP/1.1\r\nHost: reviews\r\n\r\n", 400},
                new Object[] {"GET / HTTP/9.9\r\nHost: reviews\r\n\r\n", 505},
                new Object[] {"GET / HTTP/1.1\r\nHost: reviews\r\nHost: 127.0.0.1:" + port + "\r\n\r\n", 400},
                new Object[] {"GET / HTTP/1.1\r\n\r\n", 400},
                new Object[] {"GET /a\u0000b HTTP/1.1\r\nHost: reviews\r\n\r\n", 400});
    }

    private void assertRefusedAndClosed(int listener, String request, int status) throws IOException {
        try (RawHttp http = new RawHttp(listener)) {
            RawHttp.Response response = http.send(request).next();

            assertThat(response).as(request).isNotNull();
            assertThat(response.status()).as(request).isEqualTo(status);
            assertThat(response.headers()).as(request).containsEntry("content-type", "text/plain; charset=utf-8");
            assertThat(response.body()).as(request).isNotBlank().doesNotContain("NXDOMAIN");
            assertThat(http.closedWithin(Duration.ofSeconds(5))).as(request).isTrue();
        }
    }

    @Test
    void theSidecarsOutboundListenerRefusesMalformedRequestsBeforeAnyLookup() throws IOException {
        for (Object[] request : malformed()) {
            assertRefusedAndClosed(outbound(), (String) request[0], (Integer) request[1]);
        }
        assertRefusedAndClosed(outbound(), "CONNECT 127.0.0.1:" + bystander.getLocalPort() + " HTTP/1.1\r\nHost: 127.0.0.1:"
                + bystander.getLocalPort() + "\r\n\r\n", 403);

        assertThat(appSaw).isEmpty();
        assertThat(bystanderConnections).hasValue(0);
    }

    @Test
    void theGatewayPortRefusesMalformedRequestsAndStillAnswersConnectWith403() throws IOException {
        for (Object[] request : malformed()) {
            assertRefusedAndClosed(gatewayPort, ((String) request[0]).replace("Host: reviews", "Host: bookinfo.example.com"),
                    (Integer) request[1]);
        }
        RawHttp.Response connect = RawHttp.exchange(gatewayPort, "CONNECT 127.0.0.1:" + bystander.getLocalPort()
                + " HTTP/1.1\r\nHost: 127.0.0.1:" + bystander.getLocalPort() + "\r\n\r\n");
        assertThat(connect.status()).isEqualTo(403);
        assertThat(connect.body()).contains("never opens tunnels");

        assertThat(appSaw).isEmpty();
        assertThat(bystanderConnections).hasValue(0);
    }

    @Test
    void pipelinedRequestsThroughTheSidecarAreAnsweredInOrder() throws IOException {
        try (RawHttp http = new RawHttp(outbound())) {
            http.send("GET /first HTTP/1.1\r\nHost: reviews\r\n\r\nGET /second HTTP/1.1\r\nHost: reviews\r\n\r\n");

            assertThat(http.next().body()).isEqualTo("reviews-v1 /first");
            assertThat(http.next()).as("the second pipelined request is answered").isNotNull()
                    .extracting(RawHttp.Response::body).isEqualTo("reviews-v1 /second");
        }
    }

    @Test
    void pipelinedRequestsRefusedByRoutingAreEachAnswered() throws IOException {
        try (RawHttp http = new RawHttp(outbound())) {
            http.send("GET /a HTTP/1.1\r\nHost: nowhere.invalid\r\n\r\nGET /b HTTP/1.1\r\nHost: reviews\r\n\r\n");

            assertThat(http.next().status()).as("REGISTRY_ONLY refuses the undeclared host").isEqualTo(502);
            assertThat(http.next()).as("the request after it is answered").isNotNull()
                    .extracting(RawHttp.Response::body).isEqualTo("reviews-v1 /b");
        }
    }

    @Test
    void pipelinedRequestsThroughTheGatewayAreAnsweredInOrder() throws IOException {
        try (RawHttp http = new RawHttp(gatewayPort)) {
            http.send("GET /first HTTP/1.1\r\nHost: bookinfo.example.com\r\n\r\n"
                    + "GET /second HTTP/1.1\r\nHost: bookinfo.example.com\r\n\r\n");

            assertThat(http.next().body()).isEqualTo("reviews-v1 /first");
            assertThat(http.next()).as("the second pipelined request is answered").isNotNull()
                    .extracting(RawHttp.Response::body).isEqualTo("reviews-v1 /second");
        }
    }

    @Test
    void aClientDribblingItsHeadersIsDisconnectedWhileOthersAreServed() throws IOException {
        try (RawHttp slow = new RawHttp(outbound()); RawHttp slowAtTheGateway = new RawHttp(gatewayPort)) {
            long start = System.nanoTime();
            slow.send("GET / HTTP/1.1\r\nHo");
            slowAtTheGateway.send("GET / HTTP/1.1\r\nHo");

            assertThat(RawHttp.exchange(outbound(), "GET /normal HTTP/1.1\r\nHost: reviews\r\n\r\n").body())
                    .isEqualTo("reviews-v1 /normal");
            assertThat(slow.closedWithin(HEADERS_TIMEOUT.plusSeconds(3))).isTrue();
            assertThat(slowAtTheGateway.closedWithin(Duration.ofSeconds(3))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(HEADERS_TIMEOUT);
        }
    }
}
