package dev.gatemesh.ingress;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.testing.FreePorts;
import dev.gatemesh.server.ConfigServerApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Spring Cloud Gateway routes written as Spring properties in the config server's {@code spring/} folder:
 * the gateway reads them with {@code spring.config.import=configserver:} over the mesh's TLS with its mesh
 * credential, and a change reaches it without a restart, pushed over the control-plane stream or pulled
 * with {@code POST /actuator/refresh}.
 */
class SpringNativeRoutesIntegrationTests {

    private static final String TOKEN = "ingress-test-token";

    @TempDir
    Path folder;
    @TempDir
    Path home;
    private Path spring;
    private ConfigurableApplicationContext server;
    private ConfigurableApplicationContext gateway;
    private DisposableServer backend;
    private int serverPort;
    private int gatewayPort;
    private int managementPort;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startConfigServerAndBackend() throws Exception {
        Files.writeString(folder.resolve("ingress.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: ingress-1
                  namespace: edge
                spec:
                  address: 127.0.0.1
                  serviceAccount: gatemesh-ingressgateway
                  labels:
                    istio: ingressgateway
                """);
        spring = Files.createDirectories(folder.resolve("spring"));
        backend = HttpServer.create().host("127.0.0.1").port(FreePorts.next())
                .handle((request, response) -> response.sendString(Mono.just("backend saw " + request.uri()))).bindNow();
        serverPort = FreePorts.next();
        server = new SpringApplicationBuilder(ConfigServerApplication.class).run("--server.port=" + serverPort,
                "--server.address=127.0.0.1", "--management.server.port=" + FreePorts.next(), "--gatemesh.server.source=file",
                "--gatemesh.server.file.path=" + folder, "--gatemesh.server.home=" + home,
                "--gatemesh.server.bootstrap-token=" + TOKEN,
                // the config server shares this test's class path with the gateway's: no config client, no gateway
                "--spring.cloud.config.enabled=false", "--spring.cloud.gateway.server.webflux.enabled=false");
    }

    private void startGateway(String... extra) throws Exception {
        gatewayPort = FreePorts.next();
        managementPort = FreePorts.next();
        List<String> args = new ArrayList<>(List.of(
                "--spring.config.import=configserver:https://127.0.0.1:" + serverPort,
                "--server.port=" + gatewayPort,
                "--management.server.port=" + managementPort,
                "--gatemesh.proxy.control-plane=https://127.0.0.1:" + serverPort,
                "--gatemesh.proxy.root-cert=" + home.resolve("root-cert.pem"),
                "--gatemesh.proxy.credential-file=" + Files.writeString(home.resolve("token"), TOKEN),
                "--gatemesh.proxy.workload=edge/ingress-1",
                "--gatemesh.proxy.namespace=edge",
                "--gatemesh.proxy.inbound.host=127.0.0.1",
                "--gatemesh.proxy.inbound.port=" + FreePorts.next(),
                "--gatemesh.proxy.outbound.port=" + FreePorts.next()));
        args.addAll(List.of(extra));
        gateway = IngressGatewayApplication.builder().run(args.toArray(String[]::new));
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (server != null) {
            server.close();
        }
        if (backend != null) {
            backend.disposeNow();
        }
    }

    /** Rewrites a file atomically (write aside, then move), as editors do. */
    private void writeRoutes(String id, String path) throws IOException {
        Path temporary = spring.resolve(".ingress-gateway.yml.tmp");
        Files.writeString(temporary, """
                spring:
                  cloud:
                    gateway:
                      server:
                        webflux:
                          routes:
                          - id: %s
                            uri: http://127.0.0.1:%d
                            predicates:
                            - Path=%s
                """.formatted(id, backend.port(), path));
        Files.move(temporary, spring.resolve("ingress-gateway.yml"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRouteWrittenOnTheConfigServerIsServedWithoutARestart() throws Exception {
        writeRoutes("first", "/first/**");
        startGateway();
        assertThat(get("/first/a").body()).isEqualTo("backend saw /first/a");

        writeRoutes("second", "/second/**");

        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> response = get("/second/b");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("backend saw /second/b");
        });
        assertThat(get("/first/a").statusCode()).isEqualTo(404);

        Files.writeString(spring.resolve("ingress-gateway.yml"), "spring.cloud.gateway.server.webflux.routes: []\n");
        await().atMost(WAIT).untilAsserted(() -> assertThat(get("/second/b").statusCode()).isEqualTo(404));
    }

    @Test
    void postActuatorRefreshPicksUpAChange() throws Exception {
        startGateway("--gatemesh.ingress.refresh-on-push=false");
        assertThat(get("/pulled/a").statusCode()).isEqualTo(404);

        writeRoutes("pulled", "/pulled/**");
        await().atMost(WAIT).until(() -> server.getBean(dev.gatemesh.server.springconfig.SpringPropertiesStore.class)
                .current().baseNames().contains("ingress-gateway"));
        assertThat(get("/pulled/a").statusCode()).isEqualTo(404);

        HttpResponse<String> refresh = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/actuator/refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refresh.statusCode()).isEqualTo(200);
        assertThat(refresh.body()).contains("spring.cloud.gateway.server.webflux.routes[0].id");
        await().atMost(WAIT).untilAsserted(() -> assertThat(get("/pulled/a").body()).isEqualTo("backend saw /pulled/a"));
    }
}
