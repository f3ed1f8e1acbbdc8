package dev.gatemesh.server.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatemesh.ca.CaMaterial;
import dev.gatemesh.ca.pki.SpiffeId;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CA's Kubernetes side on fabric8's API server mock: TokenReview, the CA Secret, the trust-bundle ConfigMaps. */
class KubernetesCaIntegrationTests {

    private KubernetesMockServer mock;
    private KubernetesClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (mock != null) {
            mock.destroy();
        }
    }

    private void crudMock() {
        mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(List.of()),
                false);
        mock.init(InetAddress.getLoopbackAddress(), 0);
        client = mock.createClient();
    }

    /** An API server whose TokenReview answers as Kubernetes would for the tokens this test knows. */
    private void tokenReviewMock(Map<String, TokenReview> answers) {
        mock = new KubernetesMockServer(false);
        mock.init(InetAddress.getLoopbackAddress(), 0);
        var serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
        mock.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews")
                .andReply(201, request -> {
                    TokenReview asked = serialization.unmarshal(request.getBody().readUtf8(), TokenReview.class);
                    assertThat(asked.getSpec().getAudiences()).containsExactly("gatemesh");
                    return answers.getOrDefault(asked.getSpec().getToken(), review(false, null, List.of(), "invalid bearer token"));
                }).always();
        client = mock.createClient();
    }

    private static TokenReview review(boolean authenticated, String user, List<String> audiences, String error) {
        return new TokenReviewBuilder().withNewStatus().withAuthenticated(authenticated).withAudiences(audiences)
                .withError(error).withNewUser().withUsername(user).endUser().endStatus().build();
    }

    @Test
    void aServiceAccountTokenProvesExactlyItsServiceAccount() throws Exception {
        tokenReviewMock(Map.of(
                "good", review(true, "system:serviceaccount:bookinfo:bookinfo-reviews", List.of("gatemesh"), null),
                "expired", review(false, null, List.of(), "token has expired"),
                "other-audience", review(true, "system:serviceaccount:bookinfo:bookinfo-reviews", List.of("vault"), null),
                "a-person", review(true, "jane@example.com", List.of("gatemesh"), null)));
        var identity = new KubernetesTokenIdentity(client, "cluster.local");

        assertThat(identity.prove("good", null)).isEqualTo(new SpiffeId("cluster.local", "bookinfo", "bookinfo-reviews"));
        assertThatThrownBy(() -> identity.prove("expired", null)).isInstanceOf(CallerIdentity.NotProven.class)
                .hasMessageContaining("token has expired");
        assertThatThrownBy(() -> identity.prove("other-audience", null)).isInstanceOf(CallerIdentity.NotProven.class)
                .hasMessageContaining("not for audience gatemesh");
        assertThatThrownBy(() -> identity.prove("a-person", null)).isInstanceOf(CallerIdentity.NotProven.class)
                .hasMessageContaining("not to a service account");
        assertThatThrownBy(() -> identity.prove("unknown", null)).isInstanceOf(CallerIdentity.NotProven.class)
                .hasMessageContaining("invalid bearer token");
        // A claim cannot widen what the token proves.
        assertThat(identity.prove("good", "other-namespace/other-workload"))
                .isEqualTo(new SpiffeId("cluster.local", "bookinfo", "bookinfo-reviews"));
    }

    @Test
    void aGeneratedRootIsKeptInASecretThatEveryReplicaLoads() {
        crudMock();
        var first = new KubernetesCaStore(client, "gatemesh-system", "cluster.local", Clock.systemUTC(), new SecureRandom());
        var second = new KubernetesCaStore(client, "gatemesh-system", "cluster.local", Clock.systemUTC(), new SecureRandom());
        CaMaterial generated = first.loadOrCreate();
        assertThat(client.secrets().inNamespace("gatemesh-system").withName(KubernetesCaStore.GENERATED_SECRET).get()).isNotNull();
        assertThat(second.loadOrCreate().signingCertificate()).isEqualTo(generated.signingCertificate());
    }

    @Test
    void aPluggedInCacertsSecretTakesPrecedence() {
        crudMock();
        CaMaterial plugged = CaMaterial.selfSigned("cluster.local", Clock.systemUTC(), new SecureRandom());
        Map<String, String> data = new LinkedHashMap<>();
        plugged.toPem().forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.US_ASCII))));
        client.secrets().inNamespace("gatemesh-system").resource(new SecretBuilder().withNewMetadata().withName("cacerts")
                .withNamespace("gatemesh-system").endMetadata().withData(data).build()).create();
        var store = new KubernetesCaStore(client, "gatemesh-system", "cluster.local", Clock.systemUTC(), new SecureRandom());
        assertThat(store.loadOrCreate().signingCertificate()).isEqualTo(plugged.signingCertificate());
        assertThat(client.secrets().inNamespace("gatemesh-system").withName(KubernetesCaStore.GENERATED_SECRET).get()).isNull();
    }

    @Test
    void theTrustBundleIsPublishedInEveryNamespace() {
        crudMock();
        for (String name : List.of("gatemesh-system", "bookinfo", "shop")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        }
        var store = new KubernetesCaStore(client, "gatemesh-system", "cluster.local", Clock.systemUTC(), new SecureRandom());
        var bundle = store.loadOrCreate().trustBundle();
        store.publish(bundle);
        store.publish(bundle); // again: updates, does not fail
        for (String name : List.of("gatemesh-system", "bookinfo", "shop")) {
            var configMap = client.configMaps().inNamespace(name).withName(KubernetesCaStore.TRUST_BUNDLE_CONFIG_MAP).get();
            assertThat(configMap.getData()).containsEntry("root-cert.pem", bundle.pem());
        }
    }
}
