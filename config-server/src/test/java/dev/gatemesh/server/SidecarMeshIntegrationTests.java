package dev.gatemesh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.proxy.route.RouteTable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on loopback: a config server, sidecars for productpage, reviews v1/v2 and ratings, and
 * apps behind them. The test plays the productpage app, calling through its sidecar's outbound port.
 */
class SidecarMeshIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ROUTES = """
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
                - headers:
                    end-user:
                      exact: jason
                route:
                - destination:
                    host: reviews
                    subset: v2
              - route:
                - destination:
                    host: reviews
                    subset: v1
                  weight: 90
                - destination:
                    host: reviews
                    subset: v2
                  weight: 10
            """;

    @TempDir
    Path folder;
    @TempDir
    Path home;
    private LocalMesh mesh;
    private final reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create();

    @BeforeEach
    void start() throws Exception {
        mesh = new LocalMesh(folder, home).workload("productpage-v1", "productpage", "v1")
                .workload("reviews-v1", "reviews", "v1").workload("reviews-v2", "reviews", "v2")
                .workload("ratings-v1", "ratings", "v1");
        mesh.writeConfig(ROUTES).startServer().startApps();
        for (String name : mesh.workloads.keySet()) {
            mesh.startSidecar(name, RouteTable.OutboundPolicy.ALLOW_ANY);
        }
        await().atMost(WAIT).until(() -> mesh.workloads.keySet().stream().allMatch(n -> mesh.sidecar(n).isReady()));
    }

    @AfterEach
    void stop() {
        mesh.close();
    }

    record Reply(int status, String body, io.netty.handler.codec.http.HttpHeaders headers) {
    }

    /**
     * What an app does when it calls {@code http://<host><path>}: the request goes to its sidecar's outbound
     * port with the service in the Host header.
     */
    private Reply call(String from, String host, String path, Map<String, String> headers) {
        return client.headers(h -> {
                    h.set("Host", host);
                    headers.forEach(h::set);
                })
                .get().uri("http://127.0.0.1:" + mesh.workloads.get(from).outboundPort() + path)
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> new Reply(response.status().code(), text, response.responseHeaders())))
                .block(Duration.ofSeconds(10));
    }

    @Test
    void aNinetyTenSplitLandsWithinThreePointsOverTwoThousandRequestsAndAHeaderMatchPicksV2() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            Reply response = call("productpage-v1", "reviews:9080", "/reviews/1", Map.of());
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            counts.merge(response.body(), 1, Integer::sum);
        }
        assertThat(counts.get("reviews-v1") / 20.0).isBetween(87.0, 93.0);
        assertThat(counts.get("reviews-v2") / 20.0).isBetween(7.0, 13.0);
        for (int i = 0; i < 20; i++) {
            assertThat(call("productpage-v1", "reviews", "/reviews/1", Map.of("end-user", "jason")).body()).isEqualTo("reviews-v2");
        }
    }

    @Test
    void anAppMayUseItsSidecarAsItsHttpProxy() throws Exception {
        HttpClient viaProxy = HttpClient.newBuilder().proxy(java.net.ProxySelector.of(new java.net.InetSocketAddress("127.0.0.1",
                mesh.workloads.get("productpage-v1").outboundPort()))).build();
        HttpResponse<String> response = viaProxy.send(HttpRequest.newBuilder(URI.create("http://ratings.bookinfo:9080/ratings/7"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ratings-v1");
        assertThat(response.headers().firstValue("x-seen-path")).contains("/ratings/7");
    }

    @Test
    void theAppLearnsItsCallersIdentityAndCannotBeFooledByAForgedHeader() {
        Reply reply = call("productpage-v1", "ratings", "/", Map.of("X-Forwarded-Client-Cert", "URI=spiffe://cluster.local/ns/x/sa/admin"));
        assertThat(reply.headers().get("x-seen-xfcc")).isEqualTo("By=spiffe://cluster.local/ns/bookinfo/sa/bookinfo-ratings;"
                + "URI=spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage");
    }
}
