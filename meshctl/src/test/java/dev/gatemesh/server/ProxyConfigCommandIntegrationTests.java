package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.meshctl.Meshctl;
import dev.gatemesh.proxy.controlplane.ControlPlaneClient;
import dev.gatemesh.server.push.SyncState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /actuator/meshproxies/{id}/snapshot} and {@code meshctl proxy-config routes|endpoints|snapshot}
 * against a running config server serving the example mesh to a sidecar and an ingress gateway.
 */
class ProxyConfigCommandIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path folder;
    @TempDir
    Path home;
    private RunningConfigServer server;
    private String url;

    @BeforeEach
    void start() throws Exception {
        MeshFolder.copyExamples(folder);
        server = new RunningConfigServer(folder, home);
        url = "http://127.0.0.1:" + server.managementPort;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private record Run(int code, String out, String err) {
    }

    private static Run meshctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Meshctl.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private ControlPlaneClient syncedSidecar() {
        ControlPlaneClient productpage = server.connect("productpage-v1", "productpage", s -> { });
        await().atMost(WAIT).until(() -> server.statuses().size() == 1
                && server.statuses().get(0).state() == SyncState.SYNCED);
        return productpage;
    }

    @Test
    void theSnapshotEndpointGivesTheSnapshotTheProxyAcknowledgedInItsWireForm() throws Exception {
        ControlPlaneClient productpage = syncedSidecar();
        String version = productpage.current().orElseThrow().version();

        HttpResponse<String> response = server.get("/actuator/meshproxies/productpage-v1/snapshot");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("id").asString()).isEqualTo("productpage-v1");
        assertThat(body.get("role").asString()).isEqualTo("SIDECAR");
        assertThat(body.get("state").asString()).isEqualTo("SYNCED");
        assertThat(body.get("inForce").asBoolean()).isTrue();
        assertThat(body.get("mesh").get("domainSuffix").asString()).isEqualTo("cluster.local");
        assertThat(body.get("snapshot").get("version").asString()).isEqualTo(version);
        assertThat(body.get("snapshot").get("services").valueStream().map(s -> s.get("host").asString()))
                .contains("reviews.bookinfo.svc.cluster.local");
        assertThat(body.get("snapshot").get("resources").valueStream().map(r -> r.get("kind").asString()))
                .contains("VirtualService", "DestinationRule");

        assertThat(server.get("/actuator/meshproxies/nobody/snapshot").statusCode()).isEqualTo(404);
        assertThat(server.get("/actuator/meshproxies/productpage-v1/clusters").statusCode()).isEqualTo(404);
    }

    @Test
    void routesShowsTheSidecarsOutboundRoutesAsATableAndAsJson() throws Exception {
        syncedSidecar();

        Run table = meshctl("proxy-config", "routes", "productpage-v1", "--server", url, "--home", home.toString());
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out().lines().findFirst().orElseThrow()).containsPattern("NAME +DOMAINS +MATCH +DESTINATIONS +VIRTUAL SERVICE");
        assertThat(table.out()).containsPattern("9080 +reviews, reviews.bookinfo \\+2 more +/\\* header end-user=exact:jason"
                + " +reviews.bookinfo:9080\\|v2 +bookinfo/reviews\n");
        assertThat(table.out()).containsPattern("9080 +reviews, reviews.bookinfo \\+2 more +/\\* +reviews.bookinfo:9080\\|v1"
                + " +bookinfo/reviews\n");

        Run json = meshctl("proxy-config", "routes", "productpage-v1", "--server", url, "--home", home.toString(), "-o", "json");
        assertThat(json.code()).isZero();
        JsonNode routes = JSON.readTree(json.out());
        assertThat(routes.get("proxy").asString()).isEqualTo("productpage-v1");
        assertThat(routes.get("virtualHosts").valueStream().map(h -> h.get("host").asString()))
                .contains("reviews.bookinfo.svc.cluster.local", "ratings.bookinfo.svc.cluster.local");
    }

    @Test
    void routesNameTheSidecarResourceThatMakesTheProxyRegistryOnlyAndHideWhatItsEgressHostsLeaveOut() throws Exception {
        java.nio.file.Files.writeString(folder.resolve("sidecar.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: productpage, namespace: bookinfo}
                spec:
                  workloadSelector: {labels: {app: productpage}}
                  egress: [{hosts: ["./reviews.bookinfo.svc.cluster.local"]}]
                  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
                """);
        syncedSidecar();
        await().atMost(WAIT).until(() -> meshctl("proxy-config", "routes", "productpage-v1", "--server", url, "--home", home.toString()).out()
                .contains("Sidecar bookinfo/productpage"));

        Run table = meshctl("proxy-config", "routes", "productpage-v1", "--server", url, "--home", home.toString());
        assertThat(table.out()).contains("Other hosts: refused, REGISTRY_ONLY (Sidecar bookinfo/productpage)")
                .contains("reviews.bookinfo:9080").doesNotContain("ratings.bookinfo:9080");
        JsonNode routes = JSON.readTree(meshctl("proxy-config", "routes", "productpage-v1", "--server", url, "--home", home.toString(), "-o", "json").out());
        assertThat(routes.get("outboundTrafficPolicy").asString()).isEqualTo("REGISTRY_ONLY (Sidecar bookinfo/productpage)");
    }

    @Test
    void routesOfAGatewayShowItsPortsAndTheVirtualServicesBoundToThem() {
        server.connect(new ProxyNode("ingress-1", ProxyRole.INGRESS_GATEWAY, "bookinfo", "ingressgateway",
                Map.of("istio", "ingressgateway")), s -> { });
        await().atMost(WAIT).until(() -> server.statuses().size() == 1
                && server.statuses().get(0).state() == SyncState.SYNCED);

        Run table = meshctl("proxy-config", "routes", "ingress-1", "--server", url, "--home", home.toString());
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).containsPattern("http\\.8080 +\\* +/productpage \\| /static\\* \\| /api/v1/products\\*"
                + " +productpage.bookinfo:9080 +bookinfo/bookinfo\n");
    }

    @Test
    void endpointsShowsEveryClusterInstanceWithItsHealthAndLabels() throws Exception {
        syncedSidecar();

        Run table = meshctl("proxy-config", "endpoints", "productpage-v1", "--server", url, "--home", home.toString());
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out().lines().findFirst().orElseThrow()).containsPattern("ENDPOINT +STATUS +CLUSTER +SIDECAR +LABELS");
        assertThat(table.out()).containsPattern("127.0.0.1:19082 +HEALTHY +outbound\\|9080\\|v1\\|reviews.bookinfo.svc.cluster.local"
                + " +:16082 +app=reviews,version=v1\n");

        Run json = meshctl("proxy-config", "endpoints", "productpage-v1", "--server", url, "--home", home.toString(), "-o", "json");
        assertThat(json.code()).isZero();
        JsonNode endpoints = JSON.readTree(json.out()).get("endpoints");
        assertThat(endpoints.valueStream().filter(e -> e.get("cluster").asString().equals("outbound|9080|v2|reviews.bookinfo.svc.cluster.local")))
                .singleElement().satisfies(e -> {
                    assertThat(e.get("endpoint").asString()).isEqualTo("127.0.0.1:19083");
                    assertThat(e.get("identity").asString()).isEqualTo("spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews");
                    assertThat(e.get("labels").get("version").asString()).isEqualTo("v2");
                });
    }

    @Test
    void snapshotPrintsTheWholeSnapshotAsYamlOrJson() throws Exception {
        String version = syncedSidecar().current().orElseThrow().version();

        Run yaml = meshctl("proxy-config", "snapshot", "productpage-v1", "--server", url, "--home", home.toString());
        assertThat(yaml.code()).as(yaml.err()).isZero();
        assertThat(yaml.out()).startsWith("version: " + version + "\nservices:\n").contains("kind: VirtualService");

        Run json = meshctl("proxy-config", "snapshot", "productpage-v1", "--server", url, "--home", home.toString(), "-o", "json");
        assertThat(JSON.readTree(json.out()).get("version").asString()).isEqualTo(version);
    }

    @Test
    void aProxyThatIsMissingOrHasAcknowledgedNothingIsAOneLineErrorWithExitTwo() {
        server.connect("ratings-v1", "ratings", s -> {
            throw new IllegalStateException("not today");
        });
        await().atMost(WAIT).until(() -> server.statuses().size() == 1
                && server.statuses().get(0).state() == SyncState.NACKED);

        for (String kind : new String[] {"routes", "endpoints", "snapshot"}) {
            Run refused = meshctl("proxy-config", kind, "ratings-v1", "--server", url, "--home", home.toString());
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.out()).isEmpty();
            assertThat(refused.err()).startsWith("meshctl: proxy ratings-v1 is not synced yet").contains("refused: not today")
                    .hasLineCount(1);

            Run missing = meshctl("proxy-config", kind, "nobody", "--server", url, "--home", home.toString());
            assertThat(missing.code()).isEqualTo(2);
            assertThat(missing.err()).startsWith("meshctl: no proxy named \"nobody\"").hasLineCount(1);
        }
    }
}
