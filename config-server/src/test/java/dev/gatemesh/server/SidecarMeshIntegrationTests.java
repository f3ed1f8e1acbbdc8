package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
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


    @Test
    void aNinetyTenSplitLandsWithinThreePointsOverTwoThousandRequestsAndAHeaderMatchPicksV2() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            LocalMesh.Reply response = mesh.call("productpage-v1", "reviews:9080", "/reviews/1", Map.of());
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            counts.merge(response.body(), 1, Integer::sum);
        }
        assertThat(counts.get("reviews-v1") / 20.0).isBetween(87.0, 93.0);
        assertThat(counts.get("reviews-v2") / 20.0).isBetween(7.0, 13.0);
        for (int i = 0; i < 20; i++) {
            assertThat(mesh.call("productpage-v1", "reviews", "/reviews/1", Map.of("end-user", "jason")).body()).isEqualTo("reviews-v2");
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
        LocalMesh.Reply reply = mesh.call("productpage-v1", "ratings", "/", Map.of("X-Forwarded-Client-Cert", "URI=spiffe://cluster.local/ns/x/sa/admin"));
        assertThat(reply.headers().get("x-seen-xfcc")).isEqualTo("By=spiffe://cluster.local/ns/bookinfo/sa/bookinfo-ratings;"
                + "URI=spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage");
    }

    @Test
    void aWeightChangeAtTheSourceTakesEffectWithoutRestartAndWithoutAFailedRequest() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        Thread load = new Thread(() -> {
            while (running.get()) {
                LocalMesh.Reply reply = mesh.call("productpage-v1", "reviews", "/reviews/1", Map.of());
                sent.incrementAndGet();
                if (reply.status() != 200) {
                    failures.add(reply.status() + " " + reply.body());
                }
            }
        });
        load.start();
        await().atMost(WAIT).until(() -> sent.get() > 100);
        MeshFolder.write(folder.resolve("policy.yaml"), ROUTES.replace("weight: 90", "weight: 0").replace("weight: 10", "weight: 100"));
        await().atMost(WAIT).untilAsserted(() -> {
            for (int i = 0; i < 20; i++) {
                assertThat(mesh.call("productpage-v1", "reviews", "/reviews/1", Map.of()).body()).isEqualTo("reviews-v2");
            }
        });
        int before = sent.get();
        await().atMost(WAIT).until(() -> sent.get() > before + 100);
        running.set(false);
        load.join();
        assertThat(failures).isEmpty();
    }

    private static final String STRICT = """
            ---
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata:
              name: default
              namespace: bookinfo
            spec:
              mtls:
                mode: STRICT
            """;

    @Test
    void strictMutualTlsRefusesPlainTextAndForeignCertificatesWhilePermissiveAcceptsBoth() throws Exception {
        int reviewsInbound = mesh.workloads.get("reviews-v1").inboundPort();
        var plain = reactor.netty.http.client.HttpClient.create().baseUrl("http://127.0.0.1:" + reviewsInbound);
        // PERMISSIVE (the default): plain text and mutual TLS both reach the app.
        assertThat(plain.get().uri("/").responseSingle((r, b) -> b.asString()).block(Duration.ofSeconds(10))).isEqualTo("reviews-v1");
        assertThat(mesh.call("productpage-v1", "reviews", "/", Map.of("end-user", "jason")).status()).isEqualTo(200);

        MeshFolder.write(folder.resolve("policy.yaml"), ROUTES + STRICT);
        await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(() -> plain.get().uri("/")
                .responseSingle((r, b) -> b.asString()).block(Duration.ofSeconds(10)))
                .as("a plain-text request is cut off").isInstanceOf(Exception.class));
        assertThat(mesh.call("productpage-v1", "reviews", "/", Map.of()).status()).as("mutual TLS still works").isEqualTo(200);

        // A client with a certificate of another CA, for a real-looking identity, cannot even finish the handshake.
        var otherCa = new dev.gatemesh.ca.CertificateAuthority(dev.gatemesh.ca.CaMaterial.selfSigned("cluster.local",
                java.time.Clock.systemUTC(), new java.security.SecureRandom()),
                dev.gatemesh.ca.policy.SigningPolicy.defaults("cluster.local"), java.time.Clock.systemUTC(), new java.security.SecureRandom());
        var productpage = new dev.gatemesh.ca.pki.SpiffeId("cluster.local", "bookinfo", "bookinfo-productpage");
        var keys = dev.gatemesh.ca.pki.KeyPairs.generateP256(new java.security.SecureRandom());
        var forged = otherCa.sign(dev.gatemesh.ca.pki.CertificateRequests.build(keys, productpage), productpage, null);
        var material = new dev.gatemesh.ca.identity.IdentityMaterial(productpage, keys.getPrivate(), forged.chain(),
                mesh.server.trustBundle());
        var tls = io.netty.handler.ssl.SslContextBuilder.forClient()
                .keyManager(new dev.gatemesh.ca.identity.WorkloadKeyManager(() -> material))
                .trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE).build();
        var foreign = reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(tls))
                .baseUrl("https://127.0.0.1:" + reviewsInbound);
        assertThatThrownBy(() -> foreign.get().uri("/").responseSingle((r, b) -> b.asString()).block(Duration.ofSeconds(10)))
                .isInstanceOf(Exception.class);
    }

    @Test
    void authorizationPoliciesAllowByPrincipalNamespacePathAndMethodAndDenyWinsWithABodyNamingThePolicy() throws Exception {
        MeshFolder.write(folder.resolve("policy.yaml"), ROUTES + """
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: ratings-viewer
                  namespace: bookinfo
                spec:
                  selector:
                    matchLabels:
                      app: ratings
                  action: ALLOW
                  rules:
                  - from:
                    - source:
                        principals: ["cluster.local/ns/bookinfo/sa/bookinfo-productpage"]
                        namespaces: ["bookinfo"]
                    to:
                    - operation:
                        methods: ["GET", "DELETE"]
                        paths: ["/ratings/*"]
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: deny-delete
                  namespace: bookinfo
                spec:
                  selector:
                    matchLabels:
                      app: ratings
                  action: DENY
                  rules:
                  - to:
                    - operation:
                        methods: ["DELETE"]
                """);
        await().atMost(WAIT).untilAsserted(() -> {
            LocalMesh.Reply fromReviews = mesh.call("reviews-v1", "ratings", "/ratings/1", Map.of());
            assertThat(fromReviews.status()).isEqualTo(403);
            assertThat(fromReviews.body()).contains("RBAC: access denied").contains("bookinfo/ratings-viewer");
        });
        assertThat(mesh.call("productpage-v1", "ratings", "/ratings/1", Map.of()).body()).isEqualTo("ratings-v1");
        assertThat(mesh.call("productpage-v1", "ratings", "/admin", Map.of()).status()).as("path not allowed").isEqualTo(403);
        assertThat(mesh.send("productpage-v1", io.netty.handler.codec.http.HttpMethod.PUT, "ratings", "/ratings/1", Map.of())
                .status()).as("method not allowed").isEqualTo(403);
        LocalMesh.Reply delete = mesh.send("productpage-v1", io.netty.handler.codec.http.HttpMethod.DELETE, "ratings", "/ratings/1", Map.of());
        assertThat(delete.status()).isEqualTo(403);
        assertThat(delete.body()).isEqualTo("RBAC: access denied by AuthorizationPolicy bookinfo/deny-delete\n");
    }

    @Test
    void requestsAreCountedWithIstiosMetricNamesOnBothSides() {
        mesh.call("productpage-v1", "ratings", "/ratings/1", Map.of());
        var source = mesh.metrics.get("productpage-v1").find("istio_requests_total").tag("reporter", "source")
                .tag("destination_service", "ratings.bookinfo.svc.cluster.local").tag("response_code", "200")
                .tag("connection_security_policy", "mutual_tls").counter();
        assertThat(source).isNotNull();
        assertThat(source.count()).isEqualTo(1.0);
        var destination = mesh.metrics.get("ratings-v1").find("istio_requests_total").tag("reporter", "destination")
                .tag("source_principal", "cluster.local/ns/bookinfo/sa/bookinfo-productpage").counter();
        assertThat(destination).isNotNull();
        assertThat(mesh.metrics.get("ratings-v1").find("istio_request_duration_milliseconds").summary().count()).isEqualTo(1);
    }
}
