package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.protocol.ControlMessage;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.proxy.controlplane.ControlPlaneClient;
import dev.gatemesh.proxy.controlplane.ControlPlaneEvents;
import dev.gatemesh.server.push.MeshConfigStore;
import dev.gatemesh.server.springconfig.SpringPropertiesStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Spring Cloud Config protocol on the mesh port, from the folder's {@code spring/}: authenticated as
 * the CSR endpoint is, the JSON shape a config client reads, and every change announced over the stream.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringEnvironmentIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path folder;
    @TempDir
    Path home;
    private Path spring;
    private RunningConfigServer server;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(folder.resolve("workloads.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: gw-1
                  namespace: edge
                spec:
                  address: 127.0.0.1
                  serviceAccount: gw
                  labels:
                    app: gw
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: reviews-1
                  namespace: edge
                spec:
                  address: 127.0.0.1
                  serviceAccount: edge-reviews
                  labels:
                    app.kubernetes.io/name: reviews
                    app: not-this-one
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: ingress-1
                  namespace: istio-system
                spec:
                  address: 127.0.0.1
                  serviceAccount: gatemesh-ingressgateway
                  labels:
                    istio: ingressgateway
                """);
        spring = Files.createDirectories(folder.resolve("spring"));
        Files.writeString(spring.resolve("application.yml"), "shared: everyone\ngreeting: hello\n");
        Files.writeString(spring.resolve("gw.yml"), """
                greeting: hi
                spring.cloud.gateway.server.webflux.routes:
                - id: backend
                  uri: http://127.0.0.1:9
                  predicates: [Path=/api/**]
                """);
        Files.writeString(spring.resolve("gw-prod.properties"), "greeting=hey\n");
        Files.writeString(spring.resolve("reviews.yml"), "db.password: reviews-secret\n");
        Files.writeString(spring.resolve("edge-reviews.yml"), "by-account: yes\n");
        Files.writeString(spring.resolve("ingress-gateway.yml"), "routes: none\n");
        server = new RunningConfigServer(folder, home);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port + path));
        headers.forEach(request::header);
        return HttpClient.newBuilder().sslContext(server.serverOnlyTls()).build().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String body) {
        return JSON.readValue(body, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> sources(Map<String, Object> environment) {
        return (List<Map<String, Object>>) environment.get("propertySources");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> source(Map<String, Object> propertySource) {
        return (Map<String, Object>) propertySource.get("source");
    }

    private static Map<String, String> credential() {
        return credential("edge/gw-1");
    }

    private static Map<String, String> credential(String workload) {
        return Map.of("Authorization", "Bearer " + RunningConfigServer.TOKEN, "Gatemesh-Workload", workload);
    }

    @Test
    void aCallerReadsItsOwnApplicationAndTheSharedOne() throws Exception {
        assertThat(get("/gw/default", credential()).statusCode()).isEqualTo(200);
        HttpResponse<String> shared = get("/application/default", credential());
        assertThat(shared.statusCode()).isEqualTo(200);
        assertThat(sources(json(shared.body()))).extracting(s -> (String) s.get("name"))
                .containsExactly(spring.resolve("application.yml").toString());
    }

    @Test
    void aWorkloadReadsTheApplicationItsNameLabelsAndItsServiceAccountName() throws Exception {
        assertThat(get("/reviews/default", credential("edge/reviews-1")).statusCode()).isEqualTo(200);
        assertThat(get("/edge-reviews/default", credential("edge/reviews-1")).statusCode()).isEqualTo(200);
        assertThat(get("/not-this-one/default", credential("edge/reviews-1")).statusCode()).isEqualTo(403);
        assertThat(get("/ingress-gateway/default", credential("istio-system/ingress-1")).statusCode()).isEqualTo(200);
        assertThat(get("/ingress-gateway/default", credential("edge/gw-1")).statusCode()).isEqualTo(403);
    }

    @Test
    void anotherApplicationsPropertiesAreForbiddenWithAnAuditLine(CapturedOutput output) throws Exception {
        HttpResponse<String> response = get("/reviews/default,prod", credential());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response.body())).containsEntry("reason", "NOT_ITS_APPLICATION").doesNotContainKey("propertySources")
                .containsEntry("error", "spiffe://cluster.local/ns/edge/sa/gw may read the properties of gw and the shared "
                        + "application, not of reviews");
        assertThat(response.body()).doesNotContain("reviews-secret");
        await().atMost(WAIT).untilAsserted(() -> assertThat(output.getOut()).contains("gatemesh.audit").contains(
                "spring properties refused: reason=NOT_ITS_APPLICATION application=reviews "
                        + "caller=spiffe://cluster.local/ns/edge/sa/gw claim=edge/gw-1 readable=[gw]"));
    }

    @Test
    void servesTheEnvironmentOfAnApplicationMostSpecificSourceFirst() throws Exception {
        HttpResponse<String> response = get("/gw/default,prod", credential());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        Map<String, Object> environment = json(response.body());
        assertThat(environment.get("name")).isEqualTo("gw");
        assertThat(environment.get("profiles")).isEqualTo(List.of("default", "prod"));
        assertThat(environment.containsKey("label")).isTrue();
        assertThat(environment.get("version")).isEqualTo(server.context().getBean(SpringPropertiesStore.class).current().version());
        List<Map<String, Object>> sources = sources(environment);
        assertThat(sources).extracting(s -> (String) s.get("name")).containsExactly(
                spring.resolve("gw-prod.properties").toString(), spring.resolve("gw.yml").toString(),
                spring.resolve("application.yml").toString());
        assertThat(source(sources.get(1))).containsEntry("greeting", "hi")
                .containsEntry("spring.cloud.gateway.server.webflux.routes[0].id", "backend")
                .containsEntry("spring.cloud.gateway.server.webflux.routes[0].predicates[0]", "Path=/api/**");

        HttpResponse<String> labelled = get("/gw/default/main", credential());
        assertThat(json(labelled.body()).get("label")).isEqualTo("main");
    }

    @Test
    void theSpringFolderIsNotReadAsIstioManifests() {
        MeshConfigStore mesh = server.context().getBean(MeshConfigStore.class);
        assertThat(mesh.current().resources()).hasSize(3);
        assertThat(mesh.rejected()).isEmpty(); // spring/*.yml read as manifests would be "no kind" problems
        assertThat(server.context().getBean(dev.gatemesh.server.source.ConfigSource.class).isSynced()).isTrue();
    }

    @Test
    void refusesCallersWithoutTheMeshCredentialWithAClearJsonError() throws Exception {
        HttpResponse<String> anonymous = get("/gw/default", Map.of());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(anonymous.body())).containsEntry("reason", "NO_CREDENTIAL");
        assertThat(anonymous.body()).contains("Authorization: Bearer").doesNotContain("Exception").doesNotContain("\tat ");

        HttpResponse<String> wrongToken = get("/gw/default", Map.of("Authorization", "Bearer nope",
                "Gatemesh-Workload", "edge/gw-1"));
        assertThat(wrongToken.statusCode()).isEqualTo(401);
        assertThat(json(wrongToken.body())).containsEntry("reason", "NOT_PROVEN")
                .containsEntry("error", "the credential is not the bootstrap token");

        HttpResponse<String> noWorkload = get("/gw/default", Map.of("Authorization", "Bearer " + RunningConfigServer.TOKEN));
        assertThat(noWorkload.statusCode()).isEqualTo(401);
        assertThat(noWorkload.body()).contains("Gatemesh-Workload");
    }

    @Test
    void theControlPlaneAndActuatorPathsAreNotTakenForAnApplication() throws Exception {
        assertThat(get("/v1/certificates", credential()).statusCode()).isNotEqualTo(200);
        assertThat(get("/actuator/health", credential()).statusCode()).isEqualTo(404);
        assertThat(get("/actuator/health/readiness", credential()).statusCode()).isEqualTo(404);
        assertThat(get("/v1/stream", credential()).body()).doesNotContain("propertySources");
    }

    @Test
    void aChangeIsAnnouncedToConnectedProxiesAndABadEditKeepsTheLastGoodContent() throws Exception {
        ControlPlaneEvents events = new ControlPlaneEvents();
        List<ControlMessage.PropertiesChanged> heard = new CopyOnWriteArrayList<>();
        events.onPropertiesChanged(heard::add);
        ProxyNode node = new ProxyNode("gw-1", ProxyRole.SIDECAR, "edge", "gw", Map.of("app", "gw"));
        List<String> applied = new CopyOnWriteArrayList<>();
        ControlPlaneClient client = server.connect(node, server.identity(new SpiffeId("cluster.local", "edge", "gw"),
                Duration.ofHours(1)), snapshot -> applied.add(snapshot.version()), events);
        await().atMost(WAIT).until(() -> client.current().isPresent());

        MeshFolder.write(spring.resolve("gw.yml"), "greeting: howdy\n");

        String version = server.context().getBean(SpringPropertiesStore.class).current().version();
        await().atMost(WAIT).untilAsserted(() -> assertThat(heard).extracting(ControlMessage.PropertiesChanged::version)
                .contains(server.context().getBean(SpringPropertiesStore.class).current().version()));
        assertThat(heard.get(heard.size() - 1).applications()).containsExactly("gw");
        assertThat(client.isConnected()).isTrue();

        MeshFolder.write(spring.resolve("gw.yml"), "greeting: [broken\n");
        await().atMost(WAIT).until(() -> !server.context().getBean(SpringPropertiesStore.class).problems().isEmpty());
        assertThat(server.context().getBean(SpringPropertiesStore.class).problems().get(0).getMessage())
                .startsWith(spring.resolve("gw.yml") + ":2: not valid YAML");
        assertThat(source(sources(json(get("/gw/default", credential()).body())).get(0))).containsEntry("greeting", "howdy");
        assertThat(applied).hasSize(1);
        assertThat(version).isNotBlank();
    }
}
