package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.api.snapshot.ProxySnapshot;
import dev.gatemesh.ca.CaMaterial;
import dev.gatemesh.ca.CertificateAuthority;
import dev.gatemesh.ca.identity.IdentityMaterial;
import dev.gatemesh.ca.identity.WorkloadIdentity;
import dev.gatemesh.ca.pki.CertificateRequests;
import dev.gatemesh.ca.pki.KeyPairs;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.ca.policy.SigningPolicy;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import dev.gatemesh.proxy.controlplane.ControlPlaneClient;
import dev.gatemesh.server.push.ProxyStatus;
import dev.gatemesh.server.push.SyncState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real config server and real clients over WebSocket with mutual TLS on loopback. */
class ControlPlaneStreamIntegrationTests {

    @TempDir
    Path folder;
    @TempDir
    Path home;
    private RunningConfigServer server;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void start() throws Exception {
        MeshFolder.copyExamples(folder);
        server = new RunningConfigServer(folder, home);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        server.close();
    }

    @Test
    void aProxyGetsItsSnapshotAndIsReportedSynced() throws Exception {
        List<ProxySnapshot> applied = new CopyOnWriteArrayList<>();
        ControlPlaneClient client = server.connect("reviews-v1", "reviews", applied::add);

        await().atMost(WAIT).until(() -> client.current().isPresent());
        ProxySnapshot snapshot = client.current().orElseThrow();
        assertThat(snapshot.services()).hasSize(4);
        assertThat(snapshot.ofKind(Kind.AUTHORIZATION_POLICY)).extracting(r -> r.name()).containsExactly("reviews-viewer");
        await().atMost(WAIT).untilAsserted(() -> assertThat(server.statuses()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(SyncState.SYNCED);
            assertThat(s.ackedVersion()).isEqualTo(snapshot.version());
        }));

        var response = server.get("/actuator/meshproxies");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":\"reviews-v1\"").contains("\"state\":\"SYNCED\"")
                .contains("\"ackedVersion\":\"" + snapshot.version() + "\"");
        assertThat(applied).hasSize(1);

        var readiness = server.get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"status\":\"UP\"").contains("configSource")
                .contains("\"resources\":23").contains("\"services\":4");
    }

    @Test
    void anEditInTheFolderReachesTheProxyWithoutARestart() {
        ControlPlaneClient client = server.connect("productpage-v1", "productpage", snapshot -> { });
        await().atMost(WAIT).until(() -> client.current().isPresent());
        String before = client.current().orElseThrow().version();

        MeshFolder.replace(folder.resolve("routes.yaml"), "timeout: 2s", "timeout: 3s");

        await().atMost(WAIT).until(() -> !client.current().orElseThrow().version().equals(before));
        var reviews = client.current().orElseThrow().<VirtualService>ofKind(Kind.VIRTUAL_SERVICE).stream()
                .filter(r -> r.name().equals("reviews")).findFirst().orElseThrow();
        assertThat(reviews.spec().http().get(1).timeout().text()).isEqualTo("3s");
        await().atMost(WAIT).untilAsserted(() -> assertThat(server.statuses()).singleElement()
                .satisfies(s -> assertThat(s.state()).isEqualTo(SyncState.SYNCED)));
    }

    @Test
    void anInvalidEditIsRejectedAndThePreviousConfigStays() {
        ControlPlaneClient client = server.connect("productpage-v1", "productpage", snapshot -> { });
        await().atMost(WAIT).until(() -> client.current().isPresent());
        String before = client.current().orElseThrow().version();

        MeshFolder.replace(folder.resolve("routes.yaml"), "timeout: 2s", "timeout: 2 seconds");
        MeshFolder.replace(folder.resolve("destination-rules.yaml"), "consecutive5xxErrors: 5", "consecutive5xxErrors: 7");

        // The valid edit goes through; the invalid one is rejected and its last good version stays.
        await().atMost(WAIT).until(() -> !client.current().orElseThrow().version().equals(before));
        var reviews = client.current().orElseThrow().<VirtualService>ofKind(Kind.VIRTUAL_SERVICE).stream()
                .filter(r -> r.name().equals("reviews")).findFirst().orElseThrow();
        assertThat(reviews.spec().http().get(1).timeout().text()).isEqualTo("2s");
        var health = server.context().getBean(dev.gatemesh.server.push.MeshConfigStore.class).rejected();
        assertThat(health).singleElement().satisfies(p -> assertThat(p.toLine())
                .contains("routes.yaml").contains("spec.http[1].timeout").contains("2 seconds"));
    }

    @Test
    void aProxyThatRefusesASnapshotKeepsItsPreviousOneAndIsReportedNacked() {
        ControlPlaneClient client = server.connect("productpage-v1", "productpage", snapshot -> {
            boolean hasFault = snapshot.<VirtualService>ofKind(Kind.VIRTUAL_SERVICE).stream()
                    .anyMatch(r -> r.spec().http().stream().anyMatch(h -> h.timeout() != null
                            && h.timeout().text().equals("9s")));
            if (hasFault) {
                throw new IllegalStateException("route reviews cannot be applied: test refusal");
            }
        });
        await().atMost(WAIT).until(() -> client.current().isPresent());
        String before = client.current().orElseThrow().version();

        MeshFolder.replace(folder.resolve("routes.yaml"), "timeout: 2s", "timeout: 9s");

        await().atMost(WAIT).untilAsserted(() -> assertThat(server.statuses()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(SyncState.NACKED);
            assertThat(s.nackReason()).contains("test refusal");
            assertThat(s.ackedVersion()).isEqualTo(before);
        }));
        assertThat(client.current().orElseThrow().version()).isEqualTo(before);
    }

    @Test
    void aProxyReconnectsAfterTheServerRestartsAndGetsTheCurrentSnapshot() {
        ControlPlaneClient client = server.connect("productpage-v1", "productpage", snapshot -> { });
        await().atMost(WAIT).until(() -> client.current().isPresent());
        String before = client.current().orElseThrow().version();

        server.stop();
        await().atMost(WAIT).until(() -> !client.isConnected());
        assertThat(client.current().orElseThrow().version()).as("keeps the last good snapshot").isEqualTo(before);
        MeshFolder.replace(folder.resolve("routes.yaml"), "timeout: 2s", "timeout: 4s");
        server.start(home);

        await().atMost(WAIT).until(() -> !client.current().orElseThrow().version().equals(before));
        await().atMost(WAIT).untilAsserted(() -> assertThat(server.statuses()).singleElement()
                .satisfies(s -> assertThat(s.state()).isEqualTo(SyncState.SYNCED)));
    }

    @Test
    void aReconnectingProxyThatRunsTheCurrentVersionIsNotSentItAgain() {
        List<ProxySnapshot> applied = new CopyOnWriteArrayList<>();
        ControlPlaneClient first = server.connect("productpage-v1", "productpage", applied::add);
        await().atMost(WAIT).until(() -> first.current().isPresent());
        String version = first.current().orElseThrow().version();

        server.stop();
        await().atMost(WAIT).until(() -> !first.isConnected());
        server.start(home);

        await().atMost(WAIT).untilAsserted(() -> assertThat(server.statuses()).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(SyncState.SYNCED);
            assertThat(s.ackedVersion()).isEqualTo(version);
        }));
        assertThat(applied).hasSize(1);
    }

    @Test
    void fiftyProxiesConnectedAtOnceAllConverge() {
        List<ControlPlaneClient> clients = new ArrayList<>();
        String[] apps = {"productpage", "details", "reviews", "ratings"};
        for (int i = 0; i < 50; i++) {
            clients.add(server.connect("proxy-" + i, apps[i % apps.length], snapshot -> { }));
        }
        await().atMost(WAIT).until(() -> server.statuses().size() == 50
                && server.statuses().stream().allMatch(s -> s.state() == SyncState.SYNCED));

        MeshFolder.replace(folder.resolve("routes.yaml"), "timeout: 2s", "timeout: 5s");

        await().atMost(WAIT).untilAsserted(() -> {
            List<ProxyStatus> statuses = server.statuses();
            assertThat(statuses).hasSize(50).allSatisfy(s -> assertThat(s.state()).isEqualTo(SyncState.SYNCED));
            Set<String> versions = clients.stream().map(c -> c.current().orElseThrow().version()).collect(Collectors.toSet());
            assertThat(versions).hasSize(apps.length); // one snapshot per class of proxy
            assertThat(clients).allSatisfy(c -> assertThat(c.current().orElseThrow().<VirtualService>ofKind(Kind.VIRTUAL_SERVICE)
                    .stream().filter(r -> r.name().equals("reviews")).findFirst().orElseThrow()
                    .spec().http().get(1).timeout().text()).isEqualTo("5s"));
        });
    }

    @Test
    void aStreamWithoutAClientCertificateIsRefusedWithAnExplanation() throws Exception {
        var response = server.getOnMeshPort("/v1/stream");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("needs mutual TLS").contains("/v1/certificates");
        assertThat(server.statuses()).isEmpty();
    }

    @Test
    void aProxyWithACertificateFromAnotherRootCannotConnect() throws Exception {
        CaMaterial otherRoot = CaMaterial.selfSigned("cluster.local", Clock.systemUTC(), new SecureRandom());
        var otherCa = new CertificateAuthority(otherRoot, SigningPolicy.defaults("cluster.local"), Clock.systemUTC(),
                new SecureRandom());
        SpiffeId reviews = new SpiffeId("cluster.local", "bookinfo", "bookinfo-reviews");
        var keys = KeyPairs.generateP256(new SecureRandom());
        var issued = otherCa.sign(CertificateRequests.build(keys, reviews), reviews, null);
        // It trusts the real mesh root (so only the server's check of the client can fail).
        var foreign = new IdentityMaterial(reviews, keys.getPrivate(), issued.chain(), server.trustBundle());
        var identity = new WorkloadIdentity(() -> foreign, Clock.systemUTC(), new SplittableRandom(1), scheduler,
                Duration.ofSeconds(1));
        identity.start();
        ControlPlaneClient client = server.connect(node("intruder", "bookinfo-reviews"), identity, snapshot -> { });
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> client.current().isEmpty() && !client.isConnected());
        assertThat(server.statuses()).isEmpty();
    }

    @Test
    void aHelloForAnotherServiceAccountThanTheCertificateProvesIsRefused() throws Exception {
        var identity = server.identity(new SpiffeId("cluster.local", "bookinfo", "bookinfo-reviews"), Duration.ofHours(1));
        ControlPlaneClient client = server.connect(node("ratings-v1", "bookinfo-ratings"), identity, snapshot -> { });
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> client.current().isEmpty());
        assertThat(server.statuses()).isEmpty();
    }

    @Test
    void theServerRecordsTheCertificateAProxyPresentsAndEachRotationItReports() throws Exception {
        SpiffeId reviews = new SpiffeId("cluster.local", "bookinfo", "bookinfo-reviews");
        WorkloadIdentity identity = server.identity(reviews, Duration.ofSeconds(2));
        String first = identity.current().serial();
        server.connect(node("reviews-v1", "bookinfo-reviews"), identity, snapshot -> { });
        await().atMost(WAIT).untilAsserted(() -> assertThat(server.statuses()).singleElement()
                .satisfies(s -> assertThat(s.certificate().identity()).isEqualTo(reviews)));

        await().atMost(WAIT).untilAsserted(() -> {
            var recorded = server.statuses().get(0).certificate();
            assertThat(recorded.serial()).isNotEqualTo(first).isEqualTo(identity.current().serial());
        });
        assertThat(server.statuses().get(0).state()).isEqualTo(SyncState.SYNCED);
    }

    @Test
    void actuatorEndpointsAreOnlyOnTheManagementPort() throws Exception {
        assertThat(server.getOnMeshPort("/actuator/meshproxies").statusCode()).isEqualTo(404);
        assertThat(server.getOnMeshPort("/actuator/health").statusCode()).isEqualTo(404);
        assertThat(server.get("/actuator/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aStreamThatDoesNotStartWithHelloIsClosedAsAPolicyViolation() throws Exception {
        var identity = server.identity(new SpiffeId("cluster.local", "bookinfo", "bookinfo-reviews"), Duration.ofHours(1));
        var http = java.net.http.HttpClient.newBuilder().sslContext(server.mutualTls(identity)).build();
        for (String first : List.of("{\"type\":\"ack\",\"version\":\"abc\"}", "not json", "{\"type\":\"bogus\"}")) {
            var closed = new java.util.concurrent.CompletableFuture<Integer>();
            http.newWebSocketBuilder()
                    .buildAsync(java.net.URI.create("wss://127.0.0.1:" + server.port + "/v1/stream"),
                            new java.net.http.WebSocket.Listener() {
                                @Override
                                public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int status,
                                                                                       String reason) {
                                    closed.complete(status);
                                    return null;
                                }
                            })
                    .thenCompose(ws -> ws.sendText(first, true))
                    .join();
            assertThat(closed.get(20, java.util.concurrent.TimeUnit.SECONDS)).as(first).isEqualTo(1008);
        }
        assertThat(server.statuses()).isEmpty();
    }

    private static ProxyNode node(String id, String serviceAccount) {
        return new ProxyNode(id, ProxyRole.SIDECAR, "bookinfo", serviceAccount, Map.of("app", "x"));
    }
}
