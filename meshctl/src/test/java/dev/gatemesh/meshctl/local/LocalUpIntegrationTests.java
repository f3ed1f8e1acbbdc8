package dev.gatemesh.meshctl.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.testing.FreePorts;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshctl local up} as a user runs it: a separate process on a folder of YAML, apps on loopback,
 * traffic through its ingress gateway, live edits of the folder, and Ctrl-C (SIGINT) at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalUpIntegrationTests {

    private static final Duration STARTUP = Duration.ofSeconds(150);

    @TempDir
    static Path temp;
    private Path folder;
    private Path home;
    private int gatewayPort;
    private int controlPlanePort;
    private int managementPort;
    private final Map<String, int[]> workloads = new java.util.LinkedHashMap<>(); // name -> app, inbound, outbound
    private final List<HttpServer> apps = new ArrayList<>();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process meshctl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void startMesh() throws Exception {
        folder = Files.createDirectories(temp.resolve("mesh"));
        home = temp.resolve("home");
        gatewayPort = FreePorts.next();
        controlPlanePort = FreePorts.next();
        managementPort = FreePorts.next();
        for (String name : List.of("reviews-v1", "reviews-v2")) {
            workloads.put(name, new int[] {FreePorts.next(), FreePorts.next(), FreePorts.next()});
            startApp(name, workloads.get(name)[0]);
        }
        Files.writeString(folder.resolve("workloads.yaml"), workloadsYaml());
        Files.writeString(folder.resolve("routes.yaml"), routes("""
                    - destination: {host: reviews, subset: v1}
                      weight: 50
                    - destination: {host: reviews, subset: v2}
                      weight: 50
                """));
        Files.writeString(folder.resolve("security.yaml"), SECURITY);
        meshctl = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"), "dev.gatemesh.meshctl.Meshctl",
                "local", "up", folder.toString(), "--home", home.toString(), "--control-plane-port", "" + controlPlanePort,
                "--management-port", "" + managementPort).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(meshctl.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::add);
            } catch (IOException ignored) {
                // the process ended
            }
        }, "meshctl-output");
        reader.setDaemon(true);
        reader.start();
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(200))
                .until(() -> output.stream().anyMatch(l -> l.startsWith("ready:")) || !meshctl.isAlive());
        assertThat(meshctl.isAlive()).as(String.join("\n", output)).isTrue();
    }

    @AfterAll
    void stop() {
        if (meshctl != null && meshctl.isAlive()) {
            meshctl.destroyForcibly();
        }
        apps.forEach(app -> app.stop(0));
    }

    @Test
    @Order(1)
    void printsEveryComponentSyncedWithItsIdentityAndListeners() {
        String table = String.join("\n", output);
        assertThat(table).containsPattern("config-server +CONTROL_PLANE +spiffe://cluster.local/ns/gatemesh-system/sa/gatemesh-config-server"
                + " +mesh 127.0.0.1:" + controlPlanePort + ", management 127.0.0.1:" + managementPort + " +RUNNING");
        assertThat(table).containsPattern("istio-ingressgateway +INGRESS_GATEWAY +spiffe://cluster.local/ns/istio-system/sa/"
                + "istio-ingressgateway-service-account +http 127.0.0.1:" + gatewayPort + " +SYNCED");
        int[] v1 = workloads.get("reviews-v1");
        assertThat(table).containsPattern("reviews-v1 +SIDECAR +spiffe://cluster.local/ns/shop/sa/shop-reviews +inbound 127.0.0.1:"
                + v1[1] + ", outbound 127.0.0.1:" + v1[2] + " -> app 127.0.0.1:" + v1[0] + " +SYNCED");
        assertThat(table).contains("ready: 3 proxies SYNCED");
        assertThat(home.resolve("logs/config-server.log")).exists();
        assertThat(home.resolve("logs/reviews-v1.log")).content().contains("reviews-v1");
        assertThat(home.resolve("logs/istio-ingressgateway.log")).exists();
    }

    @Test
    @Order(2)
    void proxyStatusFindsTheRunningMeshByItsHome() {
        assertThat(proxyStatus()).contains("3 proxies, 3 synced.");
    }

    @Test
    @Order(3)
    void splitsTrafficByWeightThroughTheIngressGateway() throws Exception {
        Map<String, Integer> served = new java.util.TreeMap<>();
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> response = get("/reviews", Map.of());
            assertThat(response.statusCode()).isEqualTo(200);
            served.merge(response.body(), 1, Integer::sum);
        }
        // 50/50 over 200 requests: outside 60..140 has a probability below 1e-8.
        assertThat(served).containsOnlyKeys("reviews-v1", "reviews-v2");
        assertThat(served.get("reviews-v1")).isBetween(60, 140);
    }

    @Test
    @Order(4)
    void routesByHeader() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(get("/reviews", Map.of("end-user", "jason")).body()).isEqualTo("reviews-v2");
        }
    }

    @Test
    @Order(5)
    void refusesPlaintextUnderStrictMutualTls() {
        int inbound = workloads.get("reviews-v1")[1];
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + inbound + "/reviews"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    @Order(6)
    void deniesAPathWithA403NamingThePolicy() throws Exception {
        HttpResponse<String> response = get("/admin/users", Map.of());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("deny-admin");
    }

    @Test
    @Order(7)
    void appliesAnEditWithinTwoSecondsAndKeepsTheLastGoodVersionOfABrokenOne() throws Exception {
        Files.writeString(folder.resolve("routes.yaml"), routes("""
                    - destination: {host: reviews, subset: v1}
                """));
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            for (int i = 0; i < 10; i++) {
                assertThat(get("/reviews", Map.of()).body()).isEqualTo("reviews-v1");
            }
        });
        assertThat(output).anyMatch(line -> line.startsWith("config: change applied"));

        Files.writeString(folder.resolve("routes.yaml"), routes("""
                    - destination: {host: reviews, subset: v2}
                      weight: fifty
                """));
        await().atMost(Duration.ofSeconds(10)).until(() -> output.stream().anyMatch(line -> line.contains("rejected")));
        assertThat(output).anyMatch(line -> line.contains("routes.yaml") && line.contains("weight"));
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = get("/reviews", Map.of());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("reviews-v1");
        }
    }

    @Test
    @Order(8)
    void aWorkloadEntryAddedToTheFolderGetsASidecarAndLosesItWhenRemoved() throws Exception {
        int app = FreePorts.next();
        int inbound = FreePorts.next();
        int outbound = FreePorts.next();
        startApp("reviews-v3", app);
        Files.writeString(folder.resolve("v3.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: reviews-v3
                  namespace: shop
                  annotations:
                    sidecar.gatemesh.dev/inboundPort: "%d"
                    sidecar.gatemesh.dev/outboundPort: "%d"
                spec:
                  address: 127.0.0.1
                  serviceAccount: shop-reviews
                  labels: {app: reviews, version: v3}
                  ports: {http: %d}
                """.formatted(inbound, outbound, app));
        await().atMost(Duration.ofSeconds(30)).until(() -> output.stream().anyMatch(l -> l.startsWith("local: started reviews-v3")));
        await().atMost(Duration.ofSeconds(10)).until(() -> proxyStatus().contains("4 proxies, 4 synced."));
        assertThat(PortCheck.free(inbound)).isFalse();

        Files.delete(folder.resolve("v3.yaml"));
        await().atMost(Duration.ofSeconds(10)).until(() -> output.stream().anyMatch(l -> l.startsWith("local: stopped reviews-v3")));
        await().atMost(Duration.ofSeconds(10)).until(() -> proxyStatus().contains("3 proxies, 3 synced."));
        assertThat(PortCheck.free(inbound)).isTrue();
    }

    private String proxyStatus() {
        java.io.StringWriter out = new java.io.StringWriter();
        dev.gatemesh.meshctl.Meshctl.commandLine().setOut(new java.io.PrintWriter(out)).setErr(new java.io.PrintWriter(out))
                .execute("proxy-status", "--home", home.toString());
        return out.toString();
    }

    @Test
    @Order(9)
    void ctrlCStopsEverythingAndLeavesNoProcessOrPortBehind() throws Exception {
        assertThat(meshctl.descendants().toList()).isEmpty();
        assertThat(home.resolve(LocalRunFile.NAME)).exists();
        new ProcessBuilder("kill", "-INT", String.valueOf(meshctl.pid())).start().waitFor(10, TimeUnit.SECONDS);
        assertThat(meshctl.waitFor(30, TimeUnit.SECONDS)).as(String.join("\n", output)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> output.contains("Stopped."));
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(home.toString())))
                .isEmpty();
        assertThat(home.resolve(LocalRunFile.NAME)).doesNotExist();
        assertThat(PortCheck.free(gatewayPort)).isTrue();
        assertThat(PortCheck.free(controlPlanePort)).isTrue();
        assertThat(PortCheck.free(workloads.get("reviews-v1")[1])).isTrue();
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + path))
                .timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void startApp(String name, int port) throws IOException {
        HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        app.createContext("/", exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        apps.add(app);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private String workloadsYaml() {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: reviews, namespace: shop}
                spec:
                  hosts: [reviews.shop.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  workloadSelector: {labels: {app: reviews}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: shop}
                spec:
                  host: reviews
                  subsets:
                  - {name: v1, labels: {version: v1}}
                  - {name: v2, labels: {version: v2}}
                ---
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: shop-gateway, namespace: shop}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: %d, name: http, protocol: HTTP}
                    hosts: ["*"]
                """.formatted(gatewayPort));
        workloads.forEach((name, ports) -> yaml.append("""
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: %s
                  namespace: shop
                  annotations:
                    sidecar.gatemesh.dev/inboundPort: "%d"
                    sidecar.gatemesh.dev/outboundPort: "%d"
                spec:
                  address: 127.0.0.1
                  serviceAccount: shop-reviews
                  labels: {app: reviews, version: %s}
                  ports: {http: %d}
                """.formatted(name, ports[1], ports[2], name.substring(name.indexOf('-') + 1), ports[0])));
        return yaml.toString();
    }

    private static String routes(String defaultRoute) {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: shop, namespace: shop}
                spec:
                  hosts: ["*"]
                  gateways: [shop-gateway]
                  http:
                  - match:
                    - headers: {end-user: {exact: jason}}
                    route:
                    - destination: {host: reviews, subset: v2}
                  - route:
                """ + defaultRoute;
    }

    private static final String SECURITY = """
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: default, namespace: gatemesh-system}
            spec:
              mtls: {mode: STRICT}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: deny-admin, namespace: shop}
            spec:
              selector: {matchLabels: {app: reviews}}
              action: DENY
              rules:
              - to:
                - operation: {paths: ["/admin*"]}
            """;
}
