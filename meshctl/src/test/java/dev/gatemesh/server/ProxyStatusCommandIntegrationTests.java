package dev.gatemesh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.testing.FreePorts;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.ca.identity.IdentityMaterial;
import dev.gatemesh.ca.identity.WorkloadIdentity;
import dev.gatemesh.ca.pki.Certificates;
import dev.gatemesh.ca.pki.Pem;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.meshctl.Meshctl;
import java.util.Map;
import dev.gatemesh.proxy.controlplane.ControlPlaneClient;
import dev.gatemesh.server.push.SyncState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code meshctl proxy-status} and {@code proxy-config secret} against a running config server with connected proxies. */
class ProxyStatusCommandIntegrationTests {

    @TempDir
    Path folder;
    @TempDir
    Path home;
    private RunningConfigServer server;

    @BeforeEach
    void start() throws Exception {
        MeshFolder.copyExamples(folder);
        server = new RunningConfigServer(folder, home);
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

    @Test
    void withoutTheManagementCredentialItSaysWhereToFindIt(@TempDir Path elsewhere) {
        Run refused = meshctl("proxy-status", "--server", "http://127.0.0.1:" + server.managementPort,
                "--home", elsewhere.toString());

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).startsWith("meshctl: the config server at http://127.0.0.1:" + server.managementPort
                + " wants its management credential: point --home at the folder holding management-token")
                .contains("GATEMESH_MANAGEMENT_TOKEN").doesNotContain("Exception");
        assertThat(refused.out()).isEmpty();
    }

    @Test
    void showsEveryProxyWithItsIdentityAndState() throws Exception {
        ControlPlaneClient reviews = server.connect("reviews-v1", "reviews", s -> { });
        ControlPlaneClient ratings = server.connect("ratings-v1", "ratings", s -> {
            throw new IllegalStateException("not today");
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> server.statuses().size() == 2
                && server.statuses().stream().noneMatch(s -> s.state() == SyncState.STALE));
        String url = "http://127.0.0.1:" + server.managementPort;

        Run table = meshctl("proxy-status", "--server", url, "--home", home.toString());
        assertThat(table.code()).isZero();
        assertThat(table.out().lines()).hasSize(4);
        assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("NAME").contains("IDENTITY").contains("STATE");
        String version = reviews.current().orElseThrow().version();
        assertThat(table.out()).containsPattern("reviews-v1 +SIDECAR +spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews +SYNCED +"
                + version + " +" + version);
        assertThat(table.out()).containsPattern("ratings-v1 +SIDECAR .*NACKED .*refused: not today");
        assertThat(table.out()).endsWith("2 proxies, 1 synced.\n");
        assertThat(ratings.current()).isEmpty();

        Run json = meshctl("proxy-status", "--server", url, "--home", home.toString(), "-o", "json");
        assertThat(json.code()).isZero();
        JsonNode proxies = JsonMapper.builder().build().readTree(json.out()).get("proxies");
        assertThat(proxies).hasSize(2);
        assertThat(proxies.get(1).get("id").asString()).isEqualTo("reviews-v1");
        assertThat(proxies.get(1).get("state").asString()).isEqualTo("SYNCED");
    }

    @Test
    void proxyConfigSecretShowsTheCertificateChainTheProxyPresents() throws Exception {
        var reviews = new SpiffeId("cluster.local", "bookinfo", "bookinfo-reviews");
        WorkloadIdentity identity = server.identity(reviews, Duration.ofHours(2));
        server.connect(new ProxyNode("reviews-v1", ProxyRole.SIDECAR, "bookinfo", "bookinfo-reviews", Map.of("app", "reviews")),
                identity, s -> { });
        await().atMost(Duration.ofSeconds(20)).until(() -> server.statuses().size() == 1);
        String url = "http://127.0.0.1:" + server.managementPort;
        IdentityMaterial material = identity.current();

        Run table = meshctl("proxy-config", "secret", "reviews-v1", "--server", url, "--home", home.toString());
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out().lines().findFirst().orElseThrow())
                .startsWith("RESOURCE NAME").contains("VALID CERT").contains("SERIAL NUMBER").contains("NOT AFTER");
        assertThat(table.out()).containsPattern("default +Cert Chain +ACTIVE +true +" + material.serial() + " +"
                + material.notAfter() + " +" + material.notBefore());
        var root = server.trustBundle().roots().get(0);
        assertThat(table.out()).containsPattern("ROOTCA +CA +ACTIVE +true +" + root.getSerialNumber().toString(16));
        assertThat(table.out()).contains("SPIFFE ID: " + reviews).contains("0: subject=(empty, SPIFFE ID in the SAN)");

        Run pem = meshctl("proxy-config", "secret", "reviews-v1", "--server", url, "--home", home.toString(), "-o", "pem");
        assertThat(pem.code()).isZero();
        assertThat(Pem.certificates(pem.out())).first().satisfies(leaf -> {
            assertThat(leaf.getSerialNumber().toString(16)).isEqualTo(material.serial());
            assertThat(Certificates.spiffeIdOf(leaf)).contains(reviews);
        });

        Run json = meshctl("proxy-config", "secret", "reviews-v1", "--server", url, "--home", home.toString(), "-o", "json");
        JsonNode certificate = JsonMapper.builder().build().readTree(json.out()).get("certificate");
        assertThat(certificate.get("spiffeId").asString()).isEqualTo(reviews.toString());
        assertThat(certificate.get("valid").asBoolean()).isTrue();
        assertThat(certificate.get("chain")).hasSize(material.chain().size());

        Run missing = meshctl("proxy-config", "secret", "nobody", "--server", url, "--home", home.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no proxy named \"nobody\"").contains("proxy-status");
    }

    @Test
    void aServerThatIsNotThereIsAClearErrorWithExitTwo() throws Exception {
        Run run = meshctl("proxy-status", "--server", "http://127.0.0.1:" + FreePorts.next());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("cannot reach the config server").doesNotContain("Exception");
    }
}
