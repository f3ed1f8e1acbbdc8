package dev.gatemesh.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.testing.FreePorts;
import dev.gatemesh.server.ConfigServerApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * The sidecar app as deployed: properties only. Readiness waits for the certificate and the first
 * configuration; actuator (health, Prometheus) is on the management port and never on the inbound one.
 */
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class MeshSidecarApplicationIntegrationTests {


    @TempDir
    Path folder;
    @TempDir
    Path home;
    private ConfigurableApplicationContext server;
    private ConfigurableApplicationContext sidecar;
    private DisposableServer app;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
        if (server != null) {
            server.close();
        }
        if (app != null) {
            app.disposeNow();
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSidecarAppBecomesReadyServesMetricsAndKeepsActuatorOffTheInboundAndProbePorts() throws Exception {
        int serverPort = FreePorts.next();
        int serverManagement = FreePorts.next();
        int probe = FreePorts.next();
        int appPort = FreePorts.next();
        int inbound = FreePorts.next();
        int outbound = FreePorts.next();
        int management = FreePorts.next();
        Files.writeString(folder.resolve("mesh.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: details
                  namespace: bookinfo
                spec:
                  hosts:
                  - details.bookinfo.svc.cluster.local
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports:
                  - number: 9080
                    name: http
                    protocol: HTTP
                  workloadSelector:
                    labels:
                      app: details
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: details-v1
                  namespace: bookinfo
                  annotations:
                    sidecar.gatemesh.dev/inboundPort: "%d"
                spec:
                  address: 127.0.0.1
                  serviceAccount: bookinfo-details
                  labels:
                    app: details
                    version: v1
                  ports:
                    http: %d
                """.formatted(inbound, appPort));
        app = reactor.netty.http.server.HttpServer.create().host("127.0.0.1").port(appPort)
                .handle((request, response) -> response.sendString(Mono.just("details app saw " + request.uri()))).bindNow();
        server = new SpringApplicationBuilder(ConfigServerApplication.class).run("--server.port=" + serverPort,
                "--server.address=127.0.0.1", "--management.server.port=" + serverManagement, "--gatemesh.server.source=file",
                "--gatemesh.server.file.path=" + folder, "--gatemesh.server.home=" + home,
                "--gatemesh.server.bootstrap-token=sidecar-test-token");

        sidecar = MeshSidecarApplication.builder().run(
                "--server.port=" + management,
                "--gatemesh.proxy.control-plane=https://127.0.0.1:" + serverPort,
                "--gatemesh.proxy.root-cert=" + home.resolve("root-cert.pem"),
                "--gatemesh.proxy.credential-file=" + Files.writeString(home.resolve("token"), "sidecar-test-token"),
                "--gatemesh.proxy.workload=bookinfo/details-v1",
                "--gatemesh.proxy.namespace=bookinfo",
                "--gatemesh.proxy.service-account=bookinfo-details",
                "--gatemesh.proxy.labels.app=details",
                "--gatemesh.proxy.labels.version=v1",
                "--gatemesh.proxy.inbound.host=127.0.0.1",
                "--gatemesh.proxy.inbound.port=" + inbound,
                "--gatemesh.proxy.outbound.port=" + outbound,
                "--gatemesh.proxy.app.ports=" + appPort,
                "--gatemesh.proxy.probe.port=" + probe);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> readiness = get(management, "/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(200);
        });
        HttpResponse<String> health = get(management, "/actuator/health");
        assertThat(health.body()).contains("spiffe://cluster.local/ns/bookinfo/sa/bookinfo-details");

        // Through the sidecar to itself: outbound, mutual TLS, inbound, app.
        var viaMesh = reactor.netty.http.client.HttpClient.create().headers(h -> h.set("Host", "details:9080"))
                .get().uri("http://127.0.0.1:" + outbound + "/details/0").responseSingle((r, b) -> b.asString())
                .block(Duration.ofSeconds(10));
        assertThat(viaMesh).isEqualTo("details app saw /details/0");

        // Whatever arrives on the inbound port is the app's: the sidecar's actuator is not there.
        assertThat(get(inbound, "/actuator/health").body()).isEqualTo("details app saw /actuator/health");

        // The probe port answers the kubelet's paths with a status only, and nothing else.
        for (String path : new String[] {"/livez", "/readyz", "/healthz/ready"}) {
            HttpResponse<String> answer = get(probe, path);
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
            assertThat(answer.body()).as(path).isEqualTo("{\"status\":\"UP\"}");
        }
        for (String path : new String[] {"/actuator/health", "/actuator/prometheus", "/actuator", "/"}) {
            HttpResponse<String> answer = get(probe, path);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.body()).as(path).isEmpty();
        }

        // The app, through its sidecar (ALLOW_ANY passes unknown hosts through), cannot read the config server's
        // management port, although the sidecar connects from loopback: the port wants the management credential
        // (401; a sidecar that refuses such a destination itself answers 403 or 502, which is as good).
        var refused = reactor.netty.http.client.HttpClient.create()
                .headers(h -> h.set("Host", "127.0.0.1:" + serverManagement))
                .get().uri("http://127.0.0.1:" + outbound + "/actuator/meshproxies")
                .responseSingle((r, b) -> b.asString().defaultIfEmpty("").map(body -> r.status().code() + " " + body))
                .block(Duration.ofSeconds(10));
        assertThat(refused).matches("(?s)(401|403|502) .*").doesNotContain("details")
                .doesNotContain(home.toString()).doesNotContain(folder.toString()).doesNotContain("spiffe");

        // Nor its own sidecar's management port: the sidecar refuses it itself (403), whatever the port would answer.
        for (String host : new String[] {"127.0.0.1:" + management, "localhost:" + management}) {
            String own = reactor.netty.http.client.HttpClient.create().headers(h -> h.set("Host", host))
                    .get().uri("http://127.0.0.1:" + outbound + "/actuator/prometheus")
                    .responseSingle((r, b) -> b.asString().defaultIfEmpty("").map(body -> r.status().code() + " " + body))
                    .block(Duration.ofSeconds(10));
            assertThat(own).as(host).startsWith("403 ").contains("management port").doesNotContain("istio_requests_total");
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(management, "/actuator/prometheus").body())
                .contains("istio_requests_total{").contains("reporter=\"source\"").contains("reporter=\"destination\"")
                .contains("destination_service=\"details.bookinfo.svc.cluster.local\""));
    }

    @Test
    void aSidecarWithoutItsRootCertificateSaysWhatToSetInsteadOfAStackTrace(
            org.springframework.boot.test.system.CapturedOutput output) throws Exception {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MeshSidecarApplication.builder().run("--server.port=" + FreePorts.next(),
                "--gatemesh.proxy.root-cert=" + home.resolve("missing.pem"), "--gatemesh.proxy.outbound.port=" + FreePorts.next(),
                "--gatemesh.proxy.inbound.port=" + FreePorts.next()));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("The sidecar cannot read the mesh's root certificate " + home.resolve("missing.pem"))
                .contains("Set gatemesh.proxy.root-cert: point it at the trust bundle the config server publishes");
    }
}
