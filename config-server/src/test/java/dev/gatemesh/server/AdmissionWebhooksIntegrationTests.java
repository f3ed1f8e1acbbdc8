package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.ca.CaMaterial;
import dev.gatemesh.server.admission.AdmissionJson;
import dev.gatemesh.server.source.KubernetesConfigSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The admission webhooks as the API server uses them: AdmissionReviews POSTed to the real config server's mesh port
 * over TLS, trusting only the caBundle the config server wrote into the webhook configurations on fabric8's API server
 * mock (CRUD mode), with host-name verification as the API server does it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdmissionWebhooksIntegrationTests {

    private static final String INJECTOR = "gatemesh-sidecar-injector";
    private static final String VALIDATOR = "gatemesh-validator";

    private Path home;
    private KubernetesMockServer mock;
    private KubernetesClient client;
    private RunningConfigServer server;

    @BeforeAll
    void start() throws Exception {
        home = Files.createTempDirectory("gatemesh-admission");
        List<CustomResourceDefinitionContext> crds = Arrays.stream(Kind.values()).filter(k -> k.group().isIstio())
                .map(k -> {
                    var context = KubernetesConfigSource.context(k);
                    return new CustomResourceDefinitionContext.Builder().withGroup(context.getGroup())
                            .withVersion(context.getVersion()).withKind(context.getKind()).withPlural(context.getPlural())
                            .withScope("Namespaced").build();
                }).toList();
        mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(crds),
                false);
        mock.init(java.net.InetAddress.getLoopbackAddress(), 0);
        client = mock.createClient();
        namespace("gatemesh-system", Map.of());
        namespace("bookinfo", Map.of("gatemesh-injection", "enabled"));
        namespace("legacy", Map.of());
        // The injector's configuration exists before the server starts; the validator's only later (installed by hand).
        client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(new MutatingWebhookConfigurationBuilder()
                .withNewMetadata().withName(INJECTOR).endMetadata()
                .addNewWebhook().withName("sidecar-injector.gatemesh.dev").withNewClientConfig().withNewService()
                .withName("gatemesh-config-server").withNamespace("gatemesh-system").withPath("/inject").withPort(443)
                .endService().withCaBundle("").endClientConfig()
                .withAdmissionReviewVersions("v1").withSideEffects("None").withFailurePolicy("Fail").endWebhook()
                .build()).create();
        server = RunningConfigServer.kubernetes(client.getMasterUrl().toString(), home,
                "--gatemesh.server.ca.reload-interval=200ms",
                "--gatemesh.server.injection.sidecar-image=registry.example/gatemesh/mesh-sidecar:1.2.3");
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        client.close();
        mock.destroy();
        try (var files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void namespace(String name, Map<String, String> labels) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .build()).create();
    }

    private String injectorCaBundle() {
        MutatingWebhookConfiguration configuration = client.admissionRegistration().v1().mutatingWebhookConfigurations()
                .withName(INJECTOR).get();
        return configuration.getWebhooks().get(0).getClientConfig().getCaBundle();
    }

    private String expectedCaBundle() {
        return Base64.getEncoder().encodeToString(server.trustBundle().pem().getBytes(StandardCharsets.US_ASCII));
    }

    /** TLS as the API server makes it: the caBundle's roots, and the serving certificate's name checked. */
    private HttpClient apiServerClient() throws Exception {
        await().atMost(WAIT).until(() -> expectedCaBundle().equals(injectorCaBundle()));
        byte[] pem = Base64.getDecoder().decode(injectorCaBundle());
        KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
        roots.load(null, null);
        int i = 0;
        for (Certificate root : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
            roots.setCertificateEntry("root-" + i++, root);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(roots);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).build();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return apiServerClient().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String review(String kind, String group, String namespace, String operation, KubernetesResource object) {
        return AdmissionJson.write(new AdmissionReviewBuilder().withNewRequest().withUid(UUID.randomUUID().toString())
                .withKind(new GroupVersionKind(group, kind, group.isEmpty() ? "v1" : "v1"))
                .withNamespace(namespace).withOperation(operation).withObject(object).endRequest().build());
    }

    private AdmissionResponse admit(String path, String review) throws Exception {
        HttpResponse<String> response = post(path, review);
        assertThat(response.statusCode()).isEqualTo(200);
        AdmissionReview answer = AdmissionJson.SERIALIZATION.unmarshal(response.body(), AdmissionReview.class);
        assertThat(answer.getApiVersion()).isEqualTo("admission.k8s.io/v1");
        assertThat(answer.getKind()).isEqualTo("AdmissionReview");
        String uid = AdmissionJson.SERIALIZATION.unmarshal(review, AdmissionReview.class).getRequest().getUid();
        assertThat(answer.getResponse().getUid()).isEqualTo(uid);
        return answer.getResponse();
    }

    private AdmissionResponse injectPod(String namespace, Pod pod) throws Exception {
        return admit("/inject", review("Pod", "", namespace, "CREATE", pod));
    }

    /** The response's JSON Patch (base64, as the API requires) applied to the pod that was sent, parsed as a Pod. */
    private static Pod patched(Pod sent, AdmissionResponse response) throws Exception {
        assertThat(response.getAllowed()).isTrue();
        assertThat(response.getPatchType()).isEqualTo("JSONPatch");
        JsonNode patch = AdmissionJson.mapper().readTree(Base64.getDecoder().decode(response.getPatch()));
        JsonNode pod = JsonPatch.apply(patch, AdmissionJson.mapper().readTree(AdmissionJson.write(sent)));
        return AdmissionJson.SERIALIZATION.unmarshal(pod.toString(), Pod.class);
    }

    /** A pod as a Deployment's ReplicaSet creates it. */
    private static Pod deploymentPod() {
        return new PodBuilder().withNewMetadata().withGenerateName("reviews-v1-7f9c8d-").withNamespace("bookinfo")
                .addToLabels("app", "reviews").addToLabels("version", "v1").addToLabels("pod-template-hash", "7f9c8d")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("reviews-v1-7f9c8d")
                .withUid("0b1c").withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withServiceAccountName("bookinfo-reviews").withRestartPolicy("Always")
                .addNewContainer().withName("reviews").withImage("bookinfo/reviews:1").addNewPort().withContainerPort(9080)
                .endPort().endContainer().endSpec().build();
    }

    @Test
    @Order(1)
    void aDeploymentsPodGetsTheNativeSidecarBeforeItsAppContainers() throws Exception {
        Pod sent = deploymentPod();

        Pod pod = patched(sent, injectPod("bookinfo", sent));

        assertThat(pod.getSpec().getInitContainers()).extracting(Container::getName)
                .containsExactly("gatemesh-init", "gatemesh-proxy");
        Container sidecar = pod.getSpec().getInitContainers().get(1);
        assertThat(sidecar.getRestartPolicy()).isEqualTo("Always");
        assertThat(sidecar.getImage()).isEqualTo("registry.example/gatemesh/mesh-sidecar:1.2.3");
        assertThat(sidecar.getStartupProbe()).isNotNull();
        assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("reviews");
        assertThat(pod.getSpec().getContainers().get(0)).isEqualTo(sent.getSpec().getContainers().get(0));
        assertThat(pod.getMetadata().getOwnerReferences()).isEqualTo(sent.getMetadata().getOwnerReferences());
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("sidecar.gatemesh.dev/inboundPort", "15006")
                .containsKey("sidecar.gatemesh.dev/status");
        assertThat(pod.getSpec().getVolumes()).extracting(v -> v.getName())
                .containsExactly("gatemesh-token", "gatemesh-trust-bundle");
    }

    @Test
    @Order(2)
    void aJobsPodKeepsItsRestartPolicyAndItsSidecarStopsWithIt() throws Exception {
        Pod sent = new PodBuilder().withNewMetadata().withGenerateName("report-").withNamespace("bookinfo")
                .addToLabels("job-name", "report").addToLabels("batch.kubernetes.io/controller-uid", "9e1f")
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName("report").withUid("9e1f")
                .withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("report").withImage("bookinfo/report:1")
                .withCommand("/report").endContainer().endSpec().build();

        Pod pod = patched(sent, injectPod("bookinfo", sent));

        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        // A restartable init container is a native sidecar: Kubernetes ends it once the Job's container has exited.
        assertThat(pod.getSpec().getInitContainers()).extracting(Container::getName, Container::getRestartPolicy)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("gatemesh-init", null),
                        org.assertj.core.groups.Tuple.tuple("gatemesh-proxy", "Always"));
        assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("report");
    }

    @Test
    @Order(3)
    void anOptedOutPodIsAllowedUnchanged() throws Exception {
        Pod sent = new PodBuilder(deploymentPod()).editMetadata().addToAnnotations("sidecar.gatemesh.dev/inject", "false")
                .endMetadata().build();

        AdmissionResponse response = injectPod("bookinfo", sent);

        assertThat(response.getAllowed()).isTrue();
        assertThat(response.getPatch()).isNull();
        assertThat(response.getPatchType()).isNull();
    }

    @Test
    @Order(4)
    void aPodThatAlreadyHasItsSidecarIsAllowedUnchanged() throws Exception {
        Pod sent = deploymentPod();
        Pod injected = patched(sent, injectPod("bookinfo", sent));

        AdmissionResponse again = injectPod("bookinfo", injected);

        assertThat(again.getAllowed()).isTrue();
        assertThat(again.getPatch()).isNull();
    }

    @Test
    @Order(5)
    void aPodInANamespaceWithoutTheLabelIsAllowedUnchanged() throws Exception {
        AdmissionResponse response = injectPod("legacy", new PodBuilder(deploymentPod()).editMetadata().withNamespace("legacy")
                .endMetadata().build());

        assertThat(response.getAllowed()).isTrue();
        assertThat(response.getPatch()).isNull();
    }

    @Test
    @Order(6)
    void aPodWithAnUnusableAnnotationIsDeniedWithTheFieldAndWhatIsExpected() throws Exception {
        Pod sent = new PodBuilder(deploymentPod()).editMetadata().addToAnnotations("sidecar.gatemesh.dev/proxyMemory", "big")
                .endMetadata().build();

        AdmissionResponse response = injectPod("bookinfo", sent);

        assertThat(response.getAllowed()).isFalse();
        assertThat(response.getStatus().getCode()).isEqualTo(400);
        assertThat(response.getStatus().getMessage()).isEqualTo("gatemesh cannot inject the sidecar into pod "
                + "bookinfo/reviews-v1-7f9c8d-*:\n- metadata.annotations[\"sidecar.gatemesh.dev/proxyMemory\"]: \"big\" is "
                + "not a quantity; expected e.g. 128Mi or 1Gi");
    }

    @Test
    @Order(7)
    void aPodOfAMegabyteIsInjectedToo() throws Exception {
        Pod sent = new PodBuilder(deploymentPod()).editMetadata().addToAnnotations("example.com/large", "x".repeat(1 << 20))
                .endMetadata().build();

        Pod pod = patched(sent, injectPod("bookinfo", sent));

        assertThat(pod.getSpec().getInitContainers()).extracting(Container::getName).contains("gatemesh-proxy");
        assertThat(pod.getMetadata().getAnnotations().get("example.com/large")).hasSize(1 << 20);
    }

    @Test
    @Order(7)
    void aMalformedReviewIsA400WithAMessage() throws Exception {
        HttpResponse<String> notJson = post("/inject", "{not json");
        HttpResponse<String> noRequest = post("/validate", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}");
        HttpResponse<String> oldVersion = post("/inject", "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\","
                + "\"request\":{\"uid\":\"1\"}}");

        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("the body is not JSON").doesNotContain("Exception");
        assertThat(noRequest.statusCode()).isEqualTo(400);
        assertThat(noRequest.body()).contains("request: missing");
        assertThat(oldVersion.statusCode()).isEqualTo(400);
        assertThat(oldVersion.body()).contains("admission.k8s.io/v1beta1/AdmissionReview is not supported; expected "
                + "admission.k8s.io/v1/AdmissionReview");
    }

    @Test
    @Order(8)
    void theKubeletsProbesAreAnsweredOnTheMeshPort() throws Exception {
        assertThat(server.getOnMeshPort("/readyz").statusCode()).isEqualTo(200);
        assertThat(server.getOnMeshPort("/livez").statusCode()).isEqualTo(200);
    }

    private static GenericKubernetesResource virtualService(int weight) {
        return AdmissionJson.SERIALIZATION.unmarshal("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: reviews
                  namespace: bookinfo
                  uid: 5f0e
                  resourceVersion: "12"
                  generation: 1
                  creationTimestamp: "2026-01-01T00:00:00Z"
                  managedFields: [{manager: kubectl, operation: Update, apiVersion: networking.istio.io/v1}]
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews, subset: v1}
                      weight: %d
                    - destination: {host: reviews, subset: v2}
                      weight: %d
                """.formatted(weight, 100 - weight), GenericKubernetesResource.class);
    }

    @Test
    @Order(9)
    void aBadVirtualServiceIsDeniedWithEachFieldPathAndAGoodOneIsAllowed() throws Exception {
        AdmissionResponse bad = admit("/validate", review("VirtualService", "networking.istio.io", "bookinfo", "CREATE",
                virtualService(-5)));
        AdmissionResponse good = admit("/validate", review("VirtualService", "networking.istio.io", "bookinfo", "UPDATE",
                virtualService(80)));

        assertThat(bad.getAllowed()).isFalse();
        assertThat(bad.getStatus().getCode()).isEqualTo(422);
        assertThat(bad.getStatus().getMessage()).startsWith("VirtualService bookinfo/reviews is not valid Gatemesh "
                + "configuration (2 errors):\n- spec.http[0].route[0].weight: weight must be between 0 and 100 (got -5)")
                .contains("\n- spec.http[0].route[1].weight: weight must be between 0 and 100 (got 105)")
                .doesNotContain("Exception", ".yaml");
        assertThat(good.getAllowed()).isTrue();
        assertThat(good.getStatus()).isNull();
    }

    @Test
    @Order(10)
    void aValidatorConfigurationInstalledLaterGetsTheCaBundleToo() {
        client.admissionRegistration().v1().validatingWebhookConfigurations().resource(new ValidatingWebhookConfigurationBuilder()
                .withNewMetadata().withName(VALIDATOR).endMetadata()
                .addNewWebhook().withName("validation.gatemesh.dev").withNewClientConfig().withNewService()
                .withName("gatemesh-config-server").withNamespace("gatemesh-system").withPath("/validate").withPort(443)
                .endService().endClientConfig()
                .withAdmissionReviewVersions("v1").withSideEffects("None").withFailurePolicy("Fail").endWebhook()
                .build()).create();

        await().atMost(WAIT).untilAsserted(() -> assertThat(client.admissionRegistration().v1()
                .validatingWebhookConfigurations().withName(VALIDATOR).get().getWebhooks().get(0).getClientConfig()
                .getCaBundle()).isEqualTo(expectedCaBundle()));
    }

    @Test
    @Order(11)
    void aNewCaReachesBothCaBundlesAndTheWebhooksServeUnderIt() throws Exception {
        String before = injectorCaBundle();
        CaMaterial plugged = CaMaterial.selfSigned("cluster.local", Clock.systemUTC(), new SecureRandom());
        Map<String, String> data = new LinkedHashMap<>();
        plugged.toPem().forEach((name, pem) -> data.put(name, Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII))));
        client.secrets().inNamespace("gatemesh-system").resource(new SecretBuilder().withNewMetadata().withName("cacerts")
                .withNamespace("gatemesh-system").endMetadata().withData(data).build()).create();
        String wanted = Base64.getEncoder().encodeToString(plugged.trustBundle().pem().getBytes(StandardCharsets.US_ASCII));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(injectorCaBundle()).isEqualTo(wanted).isNotEqualTo(before);
            assertThat(client.admissionRegistration().v1().validatingWebhookConfigurations().withName(VALIDATOR).get()
                    .getWebhooks().get(0).getClientConfig().getCaBundle()).isEqualTo(wanted);
        });
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                assertThat(injectPod("bookinfo", deploymentPod()).getAllowed()).isTrue());
    }
}
