package dev.gatemesh.server.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.ca.CaMaterial;
import dev.gatemesh.ca.TrustBundle;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The caBundle upkeep on fabric8's API server mock in CRUD mode. */
class WebhookCaBundlesIntegrationTests {

    private static final WebhookProperties NAMES = new WebhookProperties("injector", "validator");

    private KubernetesMockServer mock;
    private KubernetesClient client;
    private final AtomicReference<TrustBundle> bundle = new AtomicReference<>(newRoot());

    @BeforeEach
    void start() {
        mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(List.of()),
                false);
        mock.init(InetAddress.getLoopbackAddress(), 0);
        client = mock.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        mock.destroy();
    }

    private static TrustBundle newRoot() {
        return CaMaterial.selfSigned("cluster.local", Clock.systemUTC(), new SecureRandom()).trustBundle();
    }

    private void createBoth() {
        client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(new MutatingWebhookConfigurationBuilder()
                .withNewMetadata().withName("injector").endMetadata()
                .addNewWebhook().withName("a.gatemesh.dev").withNewClientConfig().withUrl("https://a").endClientConfig().endWebhook()
                .addNewWebhook().withName("b.gatemesh.dev").withNewClientConfig().withUrl("https://b").withCaBundle("c3RhbGU=")
                .endClientConfig().endWebhook().build()).create();
        client.admissionRegistration().v1().validatingWebhookConfigurations().resource(new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata().withName("validator").endMetadata()
                .addNewWebhook().withName("v.gatemesh.dev").withNewClientConfig().withUrl("https://v").endClientConfig().endWebhook()
                .build()).create();
    }

    private List<String> bundles() {
        var mutating = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("injector").get();
        var validating = client.admissionRegistration().v1().validatingWebhookConfigurations().withName("validator").get();
        var out = new java.util.ArrayList<String>();
        mutating.getWebhooks().forEach(w -> out.add(w.getClientConfig().getCaBundle()));
        validating.getWebhooks().forEach(w -> out.add(w.getClientConfig().getCaBundle()));
        return out;
    }

    @Test
    void everyWebhookOfBothConfigurationsGetsTheBundleAndAChangedBundleReplacesIt() {
        createBoth();
        try (var upkeep = new WebhookCaBundles(client, NAMES, bundle::get, Duration.ofHours(1))) {
            String first = WebhookCaBundles.caBundle(bundle.get());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(bundles()).containsOnly(first).hasSize(3));

            bundle.set(newRoot());
            upkeep.update();

            assertThat(bundles()).containsOnly(WebhookCaBundles.caBundle(bundle.get())).hasSize(3);
            assertThat(WebhookCaBundles.caBundle(bundle.get())).isNotEqualTo(first);
        }
    }

    @Test
    void anUnchangedBundleCostsNoRequest() {
        createBoth();
        try (var upkeep = new WebhookCaBundles(client, NAMES, bundle::get, Duration.ofHours(1))) {
            String wanted = WebhookCaBundles.caBundle(bundle.get());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(bundles()).containsOnly(wanted));
            int requests = mock.getRequestCount();

            upkeep.update();

            assertThat(mock.getRequestCount()).isEqualTo(requests);
        }
    }

    @Test
    void configurationsThatDoNotExistYetArePatchedOnceTheyDo() {
        try (var upkeep = new WebhookCaBundles(client, NAMES, bundle::get, Duration.ofMillis(50))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> mock.getRequestCount() >= 4);

            createBoth();

            String wanted = WebhookCaBundles.caBundle(bundle.get());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(bundles()).containsOnly(wanted).hasSize(3));
        }
    }

    @Test
    void theFieldHoldsThePemRootsBase64Encoded() {
        TrustBundle roots = bundle.get();

        assertThat(new String(java.util.Base64.getDecoder().decode(WebhookCaBundles.caBundle(roots)))).isEqualTo(roots.pem())
                .startsWith("-----BEGIN CERTIFICATE-----");
    }
}
