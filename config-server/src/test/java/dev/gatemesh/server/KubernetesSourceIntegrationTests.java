package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.model.DestinationRule;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.registry.MeshService;
import dev.gatemesh.api.snapshot.ProxySnapshot;
import dev.gatemesh.proxy.controlplane.ControlPlaneClient;
import dev.gatemesh.server.push.SyncState;
import dev.gatemesh.server.source.KubernetesConfigSource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config server on fabric8's Kubernetes API server mock in CRUD mode: custom resources,
 * Services, EndpointSlices and Pods are created, updated and deleted, and a connected proxy's
 * snapshots follow.
 */
class KubernetesSourceIntegrationTests {

    @TempDir
    Path home;
    private KubernetesMockServer mock;
    private KubernetesClient client;
    private RunningConfigServer server;

    @BeforeEach
    void start() throws Exception {
        List<CustomResourceDefinitionContext> crds = Arrays.stream(Kind.values())
                .filter(k -> k.group().isIstio())
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
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bookinfo").endMetadata().build())
                .create();
        createReviewsService();
        apply(Kind.DESTINATION_RULE, """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: bookinfo}
                spec:
                  host: reviews
                  subsets: [{name: v1, labels: {version: v1}}]
                """);
        server = RunningConfigServer.kubernetes(client.getMasterUrl().toString(), home);
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
        mock.destroy();
    }

    private void createReviewsService() {
        client.services().inNamespace("bookinfo").resource(new ServiceBuilder()
                .withNewMetadata().withName("reviews").withNamespace("bookinfo").endMetadata()
                .withNewSpec().addNewPort().withName("http").withPort(9080).endPort()
                .addToSelector("app", "reviews").endSpec().build()).create();
        addPod("reviews-v1", "v1");
        client.discovery().v1().endpointSlices().inNamespace("bookinfo").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("reviews-abc").withNamespace("bookinfo")
                .addToLabels("kubernetes.io/service-name", "reviews").endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(9080).endPort()
                .addNewEndpoint().withAddresses("10.1.0.1").withNewConditions().withReady(true).endConditions()
                .withNewTargetRef().withKind("Pod").withName("reviews-v1").withNamespace("bookinfo").endTargetRef()
                .endEndpoint()
                .build()).create();
    }

    private void addPod(String name, String version) {
        client.pods().inNamespace("bookinfo").resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("bookinfo")
                .addToLabels("app", "reviews").addToLabels("version", version)
                .addToAnnotations("sidecar.gatemesh.dev/inboundPort", "15006").endMetadata()
                .withNewSpec().withServiceAccountName("bookinfo-reviews").addNewContainer().withName("app")
                .withImage("reviews").endContainer().endSpec().build()).create();
    }

    private void apply(Kind kind, String yaml) {
        GenericKubernetesResource resource = client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
        client.genericKubernetesResources(KubernetesConfigSource.context(kind)).inNamespace("bookinfo").resource(resource)
                .createOr(existing -> existing.update());
    }

    /** The reviews VirtualService with one route to v1 ({@code extra} goes into the route destination). */
    private void applyReviewsRoute(String extra, String timeout) {
        apply(Kind.VIRTUAL_SERVICE, """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: bookinfo}
                spec:
                  hosts: [reviews]
                  http: [{route: [{destination: {host: reviews, subset: v1}%s}], timeout: %s}]
                """.formatted(extra, timeout));
    }

    private ControlPlaneClient connectProductpage() {
        ControlPlaneClient proxy = server.connect("productpage-v1", "productpage", snapshot -> { });
        await().atMost(WAIT).until(() -> proxy.current().isPresent());
        return proxy;
    }

    private static Optional<MeshService> service(ProxySnapshot snapshot, String host) {
        return snapshot.services().stream().filter(s -> s.host().equals(host)).findFirst();
    }

    @Test
    void aProxySeesServicesWithTheirPodsAndTheCustomResources() {
        ControlPlaneClient proxy = connectProductpage();
        ProxySnapshot snapshot = proxy.current().orElseThrow();
        MeshService reviews = service(snapshot, "reviews.bookinfo.svc.cluster.local").orElseThrow();
        assertThat(reviews.ports()).singleElement().satisfies(p -> assertThat(p.number()).isEqualTo(9080));
        assertThat(reviews.endpoints()).singleElement().satisfies(e -> {
            assertThat(e.address()).isEqualTo("10.1.0.1");
            assertThat(e.labels()).containsEntry("version", "v1");
            assertThat(e.serviceAccount()).isEqualTo("bookinfo-reviews");
            assertThat(e.sidecarPort()).isEqualTo(15006);
        });
        assertThat(snapshot.<DestinationRule>ofKind(Kind.DESTINATION_RULE)).singleElement()
                .satisfies(dr -> assertThat(dr.spec().subsets()).extracting(DestinationRule.Subset::name).containsExactly("v1"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(server.statuses()).singleElement()
                .satisfies(s -> assertThat(s.state()).isEqualTo(SyncState.SYNCED)));
    }

    @Test
    void creatingUpdatingAndDeletingCustomResourcesReachesTheProxy() {
        ControlPlaneClient proxy = connectProductpage();
        applyReviewsRoute("", "2s");
        await().atMost(WAIT).until(() -> timeoutOfReviews(proxy).equals("2s"));

        applyReviewsRoute("", "5s");
        await().atMost(WAIT).until(() -> timeoutOfReviews(proxy).equals("5s"));

        client.genericKubernetesResources(KubernetesConfigSource.context(Kind.VIRTUAL_SERVICE)).inNamespace("bookinfo")
                .withName("reviews").delete();
        await().atMost(WAIT).until(() -> proxy.current().orElseThrow().ofKind(Kind.VIRTUAL_SERVICE).isEmpty());
    }

    @Test
    void anInvalidCustomResourceKeepsItsLastGoodVersionAndGetsAWarningEvent() {
        ControlPlaneClient proxy = connectProductpage();
        applyReviewsRoute("", "2s");
        await().atMost(WAIT).until(() -> timeoutOfReviews(proxy).equals("2s"));

        applyReviewsRoute(", weight: 120", "7s");
        await().atMost(WAIT).until(() -> client.v1().events().inNamespace("bookinfo").list().getItems().stream()
                .anyMatch(e -> "GatemeshRejected".equals(e.getReason()) && "reviews".equals(e.getInvolvedObject().getName())
                        && e.getMessage().contains("spec.http[0].route[0].weight")));
        assertThat(timeoutOfReviews(proxy)).isEqualTo("2s");
    }

    @Test
    void aCustomResourceOverALimitKeepsItsLastGoodVersionAndGetsAWarningEventNamingTheLimit() throws Exception {
        server.close();
        server = RunningConfigServer.kubernetes(client.getMasterUrl().toString(), home,
                "--gatemesh.server.limits.max-list-length=10");
        ControlPlaneClient proxy = connectProductpage();
        applyReviewsRoute("", "2s");
        await().atMost(WAIT).until(() -> timeoutOfReviews(proxy).equals("2s"));

        apply(Kind.VIRTUAL_SERVICE, """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: bookinfo}
                spec:
                  hosts: [reviews, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10]
                  http: [{route: [{destination: {host: reviews, subset: v1}}], timeout: 9s}]
                """);
        await().atMost(WAIT).until(() -> client.v1().events().inNamespace("bookinfo").list().getItems().stream()
                .anyMatch(e -> "GatemeshRejected".equals(e.getReason()) && "Warning".equals(e.getType())
                        && "reviews".equals(e.getInvolvedObject().getName())
                        && e.getMessage().contains("(VirtualService bookinfo/reviews) spec.hosts: a list has 11 items;"
                        + " the limit (max-list-length) is 10 items")));
        assertThat(timeoutOfReviews(proxy)).isEqualTo("2s");
    }

    @Test
    void podsAndEndpointSlicesChangingReachTheProxy() {
        ControlPlaneClient proxy = connectProductpage();
        addPod("reviews-v2", "v2");
        client.discovery().v1().endpointSlices().inNamespace("bookinfo").withName("reviews-abc").edit(slice -> {
            slice.getEndpoints().add(new io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder()
                    .withAddresses("10.1.0.2").withNewConditions().withReady(false).endConditions()
                    .withNewTargetRef().withKind("Pod").withName("reviews-v2").withNamespace("bookinfo").endTargetRef()
                    .build());
            return slice;
        });
        await().atMost(WAIT).until(() -> service(proxy.current().orElseThrow(), "reviews.bookinfo.svc.cluster.local")
                .orElseThrow().endpoints().size() == 2);
        var endpoints = service(proxy.current().orElseThrow(), "reviews.bookinfo.svc.cluster.local").orElseThrow().endpoints();
        assertThat(endpoints.get(1).labels()).containsEntry("version", "v2");
        assertThat(endpoints.get(1).isHealthy()).isFalse();

        client.services().inNamespace("bookinfo").withName("reviews").delete();
        await().atMost(WAIT).until(() -> service(proxy.current().orElseThrow(), "reviews.bookinfo.svc.cluster.local").isEmpty());
    }

    private static String timeoutOfReviews(ControlPlaneClient proxy) {
        return proxy.current().orElseThrow().<VirtualService>ofKind(Kind.VIRTUAL_SERVICE).stream()
                .filter(r -> r.name().equals("reviews")).findFirst()
                .map(r -> r.spec().http().get(0).timeout().text()).orElse("none");
    }

    @Test
    void outsideAClusterTheClientComesFromFabric8sOwnConfiguration() throws Exception {
        server.close();
        System.setProperty("kubernetes.master", client.getMasterUrl().toString());
        try {
            server = RunningConfigServer.kubernetesOutsideCluster(home);
            ControlPlaneClient proxy = connectProductpage();
            assertThat(service(proxy.current().orElseThrow(), "reviews.bookinfo.svc.cluster.local")).isPresent();
        } finally {
            System.clearProperty("kubernetes.master");
        }
    }
}
