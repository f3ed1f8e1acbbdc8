package dev.gatemesh.proxy.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.proxy.credentials.TlsCredential;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Secrets source on fabric8's API server mock (CRUD mode, with watches). */
class KubernetesCredentialSourceIntegrationTests {

    private static final String NAMESPACE = "istio-ingress";

    private KubernetesMockServer mock;
    private KubernetesClient client;
    private KubernetesCredentialSource source;

    @BeforeEach
    void startMock() {
        mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(List.of()),
                false);
        mock.init(InetAddress.getLoopbackAddress(), 0);
        client = mock.createClient();
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        client.close();
        mock.destroy();
    }

    private KubernetesCredentialSource start() {
        source = new KubernetesCredentialSource(client, NAMESPACE).start();
        return source;
    }

    private static Secret secret(String name, String type, Map<String, String> pem) {
        Map<String, String> data = new LinkedHashMap<>();
        pem.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.US_ASCII))));
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withType(type).withData(data).build();
    }

    private static Secret tlsSecret(String name, TestCredentials credentials) {
        return secret(name, "kubernetes.io/tls", Map.of("tls.crt", credentials.certificatePem(), "tls.key", credentials.pkcs8KeyPem()));
    }

    private Secret createOrReplace(Secret secret) {
        return client.secrets().inNamespace(NAMESPACE).resource(secret).createOr(existing -> existing.update());
    }

    @Test
    void readsTlsSecretsPresentAtStartAndIgnoresOtherSecrets() {
        TestCredentials web = TestCredentials.ec("web.example.com");
        Secret created = createOrReplace(tlsSecret("web", web));
        createOrReplace(secret("db-password", "Opaque", Map.of("password", "hunter2")));

        start();
        TlsCredential credential = source.get("web");
        assertThat(credential.certificateChainPem()).isEqualTo(web.certificatePem());
        assertThat(credential.privateKeyPem()).isEqualTo(web.pkcs8KeyPem());
        assertThat(credential.version()).isEqualTo(created.getMetadata().getResourceVersion());
        assertThat(source.get("db-password")).isNull();
        assertThat(source.rejected()).isEmpty();
        assertThat(source.describe()).isEqualTo("Secrets in istio-ingress");
    }

    @Test
    void followsCreatedUpdatedAndDeletedSecrets() {
        AtomicInteger changes = new AtomicInteger();
        start().onChange(changes::incrementAndGet);
        assertThat(source.get("web")).isNull();

        TestCredentials first = TestCredentials.ec("web.example.com");
        createOrReplace(tlsSecret("web", first));
        await().until(() -> changes.get() == 1);
        String firstVersion = source.get("web").version();

        TestCredentials rotated = TestCredentials.rsa("web.example.com");
        createOrReplace(secret("web", "kubernetes.io/tls",
                Map.of("tls.crt", rotated.certificatePem(), "tls.key", rotated.traditionalKeyPem())));
        await().until(() -> changes.get() == 2);
        assertThat(source.get("web").certificateChainPem()).isEqualTo(rotated.certificatePem());
        assertThat(source.get("web").version()).isNotEqualTo(firstVersion);

        client.secrets().inNamespace(NAMESPACE).withName("web").delete();
        await().until(() -> changes.get() == 3);
        assertThat(source.get("web")).isNull();
    }

    @Test
    void readsIstioGenericSecretsWithCertKeyAndCacert() {
        TestCredentials web = TestCredentials.ec("web.example.com");
        TestCredentials clients = TestCredentials.ec("clients");
        createOrReplace(secret("web", "Opaque", Map.of("cert", web.certificatePem(), "key", web.traditionalKeyPem(),
                "cacert", clients.certificatePem())));
        start();
        assertThat(source.get("web").privateKeyPem()).isEqualTo(web.traditionalKeyPem());
        assertThat(source.get("web").caCertificatesPem()).isEqualTo(clients.certificatePem());
    }

    @Test
    void takesClientCasFromTheCacertCompanionSecret() {
        TestCredentials web = TestCredentials.ec("web.example.com");
        Secret main = createOrReplace(tlsSecret("web", web));
        start();
        assertThat(source.get("web").caCertificatesPem()).isNull();

        TestCredentials clients = TestCredentials.ec("clients");
        Secret companion = createOrReplace(secret("web-cacert", "Opaque", Map.of("ca.crt", clients.certificatePem())));
        await().until(() -> source.get("web").caCertificatesPem() != null);
        assertThat(source.get("web").caCertificatesPem()).isEqualTo(clients.certificatePem());
        assertThat(source.get("web").version()).isEqualTo(main.getMetadata().getResourceVersion() + "+"
                + companion.getMetadata().getResourceVersion());
        assertThat(source.get("web-cacert")).isNull();

        client.secrets().inNamespace(NAMESPACE).withName("web-cacert").delete();
        await().until(() -> source.get("web").caCertificatesPem() == null);
        assertThat(source.get("web").version()).isEqualTo(main.getMetadata().getResourceVersion());
    }

    @Test
    void warnsAboutABadSecretAndKeepsTheLastGood() {
        TestCredentials web = TestCredentials.ec("web.example.com");
        createOrReplace(tlsSecret("web", web));
        start();
        TlsCredential lastGood = source.get("web");

        createOrReplace(secret("web", "kubernetes.io/tls", Map.of("tls.crt", web.certificatePem(),
                "tls.key", "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")));
        await().until(() -> source.rejected().containsKey("web"));
        assertThat(source.rejected().get("web")).containsExactly("Secret istio-ingress/web key tls.key: not a private key;"
                + " expected an unencrypted PEM private key (\"PRIVATE KEY\", \"RSA PRIVATE KEY\" or \"EC PRIVATE KEY\")");
        assertThat(source.get("web")).isEqualTo(lastGood);

        TestCredentials other = TestCredentials.ec("web.example.com");
        createOrReplace(secret("web", "kubernetes.io/tls", Map.of("tls.crt", web.certificatePem(), "tls.key", other.pkcs8KeyPem())));
        await().until(() -> source.rejected().get("web").get(0).contains("does not match"));
        assertThat(source.rejected().get("web").get(0))
                .startsWith("Secret istio-ingress/web key tls.key: does not match the public key of the first certificate in"
                        + " Secret istio-ingress/web key tls.crt");
        assertThat(source.get("web")).isEqualTo(lastGood);

        createOrReplace(secret("web", "kubernetes.io/tls", Map.of("tls.crt", other.certificatePem())));
        await().until(() -> source.rejected().get("web").get(0).contains("key tls.key: missing"));
        assertThat(source.rejected().get("web"))
                .containsExactly("Secret istio-ingress/web key tls.key: missing; expected the PEM private key of tls.crt");
        assertThat(source.get("web")).isEqualTo(lastGood);
    }

    @Test
    void aSecretInAnotherNamespaceIsNotSeen() {
        client.secrets().inNamespace("other").resource(new SecretBuilder(tlsSecret("web", TestCredentials.ec("web.example.com")))
                .editMetadata().withNamespace("other").endMetadata().build()).create();
        start();
        assertThat(source.get("web")).isNull();
    }
}
