package dev.gatemesh.egress;

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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;

/**
 * The egress gateway app as deployed: properties only. It becomes ready with its certificate and configuration, opens
 * the port its Gateway names, sends a declared external host on, refuses an undeclared one, and writes an audit line
 * for each request.
 */
@ExtendWith(OutputCaptureExtension.class)
class EgressGatewayApplicationIntegrationTests {


    @TempDir
    Path folder;
    @TempDir
    Path home;
    private ConfigurableApplicationContext server;
    private ConfigurableApplicationContext gateway;
    private DisposableServer external;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (server != null) {
            server.close();
        }
        if (external != null) {
            external.disposeNow();
        }
    }

    private HttpResponse<String> get(int port, String host, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        return http.send(host == null ? request.build() : request.header("Host", host).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private record Reply(int status, String body) {
    }

    /** A request to the gateway's port with the Host header given (java.net.http will not set one). */
    private static Reply call(int port, String host, String path) {
        return reactor.netty.http.client.HttpClient.create().headers(h -> h.set("Host", host)).get()
                .uri("http://127.0.0.1:" + port + path)
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> new Reply(response.status().code(), text)))
                .block(Duration.ofSeconds(10));
    }

    @Test
    void theEgressGatewayAppSendsADeclaredHostOnRefusesAnUndeclaredOneAndAuditsBoth(CapturedOutput output) throws Exception {
        int serverPort = FreePorts.next();
        int externalPort = FreePorts.next();
        int gatewayPort = FreePorts.next();
        int management = FreePorts.next();
        // The external host, at a static address (the stand-in for the outside listens on loopback).
        Files.writeString(folder.resolve("egress.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: egress-1
                  namespace: istio-system
                spec:
                  address: 127.0.0.1
                  serviceAccount: gatemesh-egressgateway
                  labels:
                    istio: egressgateway
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: outside
                  namespace: istio-system
                spec:
                  hosts:
                  - outside.example.test
                  location: MESH_EXTERNAL
                  resolution: STATIC
                  ports:
                  - number: 80
                    name: http
                    protocol: HTTP
                  endpoints:
                  - address: 127.0.0.1
                    ports:
                      http: %1$d
                ---
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: egress
                  namespace: istio-system
                spec:
                  selector:
                    istio: egressgateway
                  servers:
                  - port:
                      number: %2$d
                      name: http
                      protocol: HTTP
                    hosts:
                    - outside.example.test
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: outside
                  namespace: istio-system
                spec:
                  hosts:
                  - outside.example.test
                  gateways:
                  - egress
                  http:
                  - route:
                    - destination:
                        host: outside.example.test
                        port:
                          number: 80
                """.formatted(externalPort, gatewayPort));
        external = reactor.netty.http.server.HttpServer.create().host("127.0.0.1").port(externalPort)
                .handle((request, response) -> response.sendString(Mono.just("outside saw " + request.uri()))).bindNow();
        server = new SpringApplicationBuilder(ConfigServerApplication.class).run("--server.port=" + serverPort,
                "--server.address=127.0.0.1", "--management.server.port=" + FreePorts.next(), "--gatemesh.server.source=file",
                "--gatemesh.server.file.path=" + folder, "--gatemesh.server.home=" + home,
                "--gatemesh.server.bootstrap-token=egress-test-token");

        gateway = EgressGatewayApplication.builder().run(
                "--server.port=" + management,
                "--gatemesh.proxy.control-plane=https://127.0.0.1:" + serverPort,
                "--gatemesh.proxy.root-cert=" + home.resolve("root-cert.pem"),
                "--gatemesh.proxy.credential-file=" + Files.writeString(home.resolve("token"), "egress-test-token"),
                "--gatemesh.proxy.workload=istio-system/egress-1",
                "--gatemesh.proxy.namespace=istio-system",
                "--gatemesh.proxy.gateway.host=127.0.0.1",
                "--gatemesh.gateway.credentials.folder=" + home.resolve("credentials"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(get(management, null, "/actuator/health/readiness").statusCode()).isEqualTo(200);
            assertThat(get(management, null, "/actuator/health").body()).contains("\"gatewayPorts\":{\"" + gatewayPort);
        });
        assertThat(get(management, null, "/actuator/health").body())
                .contains("spiffe://cluster.local/ns/istio-system/sa/gatemesh-egressgateway");

        Reply declared = call(gatewayPort, "outside.example.test", "/report");
        Reply undeclared = call(gatewayPort, "elsewhere.example", "/report");

        assertThat(declared.status()).isEqualTo(200);
        assertThat(declared.body()).isEqualTo("outside saw /report");
        assertThat(undeclared.status()).isEqualTo(502);
        assertThat(undeclared.body()).contains("the host elsewhere.example is not declared for egress through this gateway");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output.getOut())
                .contains("\"destination_host\":\"outside.example.test\",\"method\":\"GET\",\"path\":\"/report\",\"status\":200")
                .contains("\"destination_host\":\"elsewhere.example\",\"method\":\"GET\",\"path\":\"/report\",\"status\":502"));
    }
}
