package dev.gatemesh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.ca.TrustBundle;
import dev.gatemesh.ca.pki.CertificateRequests;
import dev.gatemesh.ca.pki.KeyPairs;
import dev.gatemesh.ca.pki.Pem;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.server.ca.FileCaStore;
import dev.gatemesh.ca.pki.Certificates;
import dev.gatemesh.ca.pki.Pem;
import java.net.URI;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The CSR endpoint in local mode: bootstrap token plus the WorkloadEntry the caller claims. */
@ExtendWith(OutputCaptureExtension.class)
class CertificateEndpointIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SpiffeId REVIEWS = new SpiffeId("cluster.local", "bookinfo", "bookinfo-reviews");

    @TempDir
    Path folder;
    @TempDir
    Path home;
    private RunningConfigServer server;
    private final KeyPair keys = KeyPairs.generateP256(new SecureRandom());

    @BeforeEach
    void start() throws Exception {
        MeshFolder.copyExamples(folder);
        server = new RunningConfigServer(folder, home);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String token, Map<String, Object> body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port + "/v1/certificates"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newBuilder().sslContext(server.serverOnlyTls()).build().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theEndpointIsServedOverTlsAsTheControlPlaneWithNamesOrdinaryClientsVerify() throws Exception {
        // A client that knows only the published root and checks host names, as curl --cacert would.
        var root = Pem.certificates(Files.readString(home.resolve("root-cert.pem"))).get(0);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("mesh-root", root);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        for (String host : List.of("localhost", "127.0.0.1")) {
            var response = HttpClient.newBuilder().sslContext(tls).build().send(HttpRequest.newBuilder(
                    URI.create("https://" + host + ":" + server.port + "/v1/certificates"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(host).isEqualTo(401);
            var served = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
            assertThat(Certificates.spiffeIdOf(served)).contains(RunningConfigServer.CONTROL_PLANE);
        }
    }

    @Test
    void theControlPlanesOwnIdentityIsNeverSignedForACaller(CapturedOutput output) throws Exception {
        Files.writeString(folder.resolve("impostor.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: impostor
                  namespace: gatemesh-system
                spec:
                  address: 127.0.0.9
                  serviceAccount: gatemesh-config-server
                """);
        String csr = CertificateRequests.build(keys, RunningConfigServer.CONTROL_PLANE);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var response = post(RunningConfigServer.TOKEN, Map.of("csr", csr, "workload", "gatemesh-system/impostor"));
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(response.body()).get("reason").asString()).isEqualTo("RESERVED_IDENTITY");
        });
        assertThat(output).contains("reason=RESERVED_IDENTITY proven=" + RunningConfigServer.CONTROL_PLANE);
    }

    @Test
    void aWorkloadGetsACertificateForExactlyItsIdentityThatVerifiesWithThePublishedBundle(CapturedOutput output)
            throws Exception {
        var response = post(RunningConfigServer.TOKEN, Map.of("csr", CertificateRequests.build(keys, REVIEWS),
                "workload", "bookinfo/reviews-v2", "ttl", "1h"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("spiffeId").asString()).isEqualTo(REVIEWS.toString());
        var chain = Pem.certificates(body.get("certificateChain").asString());
        assertThat(chain.get(0).getPublicKey()).isEqualTo(keys.getPublic());
        TrustBundle published = TrustBundle.fromPem(Files.readString(home.resolve(FileCaStore.TRUST_BUNDLE_FILE)));
        assertThat(published.verify(chain, Instant.now(), "cluster.local")).isEqualTo(REVIEWS);
        assertThat(Instant.parse(body.get("notAfter").asString())).isBefore(Instant.now().plusSeconds(3601));
        assertThat(output).contains("certificate issued: identity=" + REVIEWS).doesNotContain(RunningConfigServer.TOKEN);
    }

    @Test
    void aCsrForAnotherIdentityIsRefusedWith403AndAnAuditLine(CapturedOutput output) throws Exception {
        var ratings = new SpiffeId("cluster.local", "bookinfo", "bookinfo-ratings");
        var response = post(RunningConfigServer.TOKEN, Map.of("csr", CertificateRequests.build(keys, ratings),
                "workload", "bookinfo/reviews-v1"));
        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("reason").asString()).isEqualTo("IDENTITY_MISMATCH");
        assertThat(body.get("error").asString()).contains("asks for " + ratings).contains("proved " + REVIEWS);
        assertThat(output).contains("certificate refused: status=403 reason=IDENTITY_MISMATCH proven=" + REVIEWS);
    }

    @Test
    void aCallerThatProvesNothingIsRefusedWith401() throws Exception {
        String csr = CertificateRequests.build(keys, REVIEWS);
        assertThat(post(null, Map.of("csr", csr, "workload", "bookinfo/reviews-v1")).statusCode()).isEqualTo(401);
        assertThat(post("wrong-token", Map.of("csr", csr, "workload", "bookinfo/reviews-v1")).statusCode()).isEqualTo(401);
        var noClaim = post(RunningConfigServer.TOKEN, Map.of("csr", csr));
        assertThat(noClaim.statusCode()).isEqualTo(401);
        assertThat(noClaim.body()).contains("namespace/name");
        var unknown = post(RunningConfigServer.TOKEN, Map.of("csr", csr, "workload", "bookinfo/nope"));
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).contains("there is no WorkloadEntry bookinfo/nope");
    }

    @Test
    void anUnusableRequestIsRefusedWith400AndSaysWhy() throws Exception {
        String csr = CertificateRequests.build(keys, REVIEWS);
        var tooLong = post(RunningConfigServer.TOKEN, Map.of("csr", csr, "workload", "bookinfo/reviews-v1", "ttl", "2160h1s"));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("TTL_TOO_LONG").contains("exceeds the maximum of 90d");
        var garbage = post(RunningConfigServer.TOKEN, Map.of("csr", "hello", "workload", "bookinfo/reviews-v1"));
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("MALFORMED_CSR");
        var badTtl = post(RunningConfigServer.TOKEN, Map.of("csr", csr, "workload", "bookinfo/reviews-v1", "ttl", "soon"));
        assertThat(badTtl.statusCode()).isEqualTo(400);
        assertThat(badTtl.body()).contains("TTL_INVALID");
    }

    @Test
    void theRootSurvivesARestart() throws Exception {
        String before = Files.readString(home.resolve(FileCaStore.TRUST_BUNDLE_FILE));
        server.stop();
        server.start(home);
        assertThat(Files.readString(home.resolve(FileCaStore.TRUST_BUNDLE_FILE))).isEqualTo(before);
    }
}
