package dev.gatemesh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.server.management.ManagementToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config server's management port takes the management credential (a file in its home only its user reads):
 * without it, only the probe paths answer, with a status and no details; everything else is 401 with one line
 * that names no path, proxy or identity.
 */
class ManagementPortIntegrationTests {

    @TempDir
    Path folder;
    @TempDir
    Path home;
    private RunningConfigServer server;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(folder.resolve("workloads.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: reviews-1
                  namespace: bookinfo
                spec:
                  address: 127.0.0.1
                  serviceAccount: bookinfo-reviews
                  labels:
                    app: reviews
                """);
        server = new RunningConfigServer(folder, home);
        var proxy = server.connect("reviews-v1", "reviews", snapshot -> { });
        await().atMost(Duration.ofSeconds(20)).until(() -> proxy.current().isPresent());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theCredentialIsGeneratedIntoTheHomeReadableByItsOwnerOnly() throws Exception {
        Path file = home.resolve(ManagementToken.FILE_NAME);
        assertThat(Files.readString(file).trim()).hasSize(64).isNotEqualTo(RunningConfigServer.TOKEN);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void refusesEveryEndpointButTheProbesWithoutTheCredentialNamingNothingOfTheMesh() throws Exception {
        for (String path : new String[] {"/actuator", "/actuator/meshproxies", "/actuator/meshproxies/reviews-v1",
                "/actuator/info", "/actuator/health/configSource", "/nothing-here"}) {
            HttpResponse<String> response = server.getAnonymously(path);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(response.body().lines()).as(path).hasSize(1);
            assertThat(response.body()).contains("management credential").doesNotContain(home.toString())
                    .doesNotContain(folder.toString()).doesNotContain("reviews").doesNotContain("spiffe");
        }
    }

    @Test
    void aWrongCredentialIsRefusedAsNoCredentialIs() throws Exception {
        HttpResponse<String> wrong = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.managementPort + "/actuator/meshproxies"))
                .header("Authorization", "Bearer " + RunningConfigServer.TOKEN).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain("reviews");
    }

    @Test
    void unauthenticatedHealthShowsTheStatusOnlyAndAuthenticatedHealthShowsTheDetails() throws Exception {
        for (String path : new String[] {"/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness"}) {
            HttpResponse<String> anonymous = server.getAnonymously(path);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(200);
            assertThat(anonymous.body()).as(path).isEqualTo("{\"status\":\"UP\"}");
        }

        HttpResponse<String> authenticated = server.get("/actuator/health/readiness");
        assertThat(authenticated.statusCode()).isEqualTo(200);
        assertThat(authenticated.body()).contains("configSource").contains(folder.toString());
    }

    @Test
    void theCredentialOpensEveryEndpoint() throws Exception {
        assertThat(server.get("/actuator/meshproxies").body()).contains("\"id\":\"reviews-v1\"");
        assertThat(server.get("/actuator").statusCode()).isEqualTo(200);
    }

    @Test
    void theMeshPortProbesAnswerWithoutDetails() throws Exception {
        for (String path : new String[] {"/livez", "/readyz"}) {
            HttpResponse<String> probe = server.getOnMeshPort(path);
            assertThat(probe.statusCode()).as(path).isEqualTo(200);
            assertThat(probe.body()).as(path).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    @Test
    void aConfiguredCredentialIsUsedAndNoFileIsWritten(@TempDir Path otherHome) throws Exception {
        try (var configured = RunningConfigServer.withSettings(folder, otherHome,
                "--gatemesh.server.management.token=operator-secret")) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + configured.managementPort + "/actuator/meshproxies"))
                    .header("Authorization", "Bearer operator-secret").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(otherHome.resolve(ManagementToken.FILE_NAME)).doesNotExist();
        }
    }
}
