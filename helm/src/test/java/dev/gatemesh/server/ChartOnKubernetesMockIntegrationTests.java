package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.registry.MeshService;
import dev.gatemesh.api.snapshot.ProxySnapshot;
import dev.gatemesh.helm.ApiRequest;
import dev.gatemesh.helm.Grants;
import dev.gatemesh.helm.Helm;
import dev.gatemesh.helm.RenderedChart;
import dev.gatemesh.proxy.controlplane.ControlPlaneClient;
import dev.gatemesh.server.push.SyncState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config server in Kubernetes mode against fabric8's API server mock in CRUD mode that knows exactly the
 * CRDs the chart installs (rendered by the real helm binary, registered with the mock and created in it): a
 * Deployment's pod behind a Service, and a VirtualService, reach a connected sidecar. The rest of the release is
 * created in the mock too, as {@code helm install} would. Every call the server made
 * is one the chart's RBAC grants its service account.
 */
class ChartOnKubernetesMockIntegrationTests {

    private static final String ROOT = "gatemesh-system";
    /** The user agent of the test's own client, to tell its calls from the config server's. */
    private static final String TEST_AGENT = "gatemesh-chart-test";

    @TempDir
    Path home;
    private RenderedChart chart;
    private KubernetesMockServer mock;
    private KubernetesClient client;
    private RunningConfigServer server;
    private final Map<String, CustomResourceDefinitionContext> contexts = new HashMap<>();

    @BeforeEach
    void start() {
        chart = RenderedChart.parse(Helm.render(ROOT));
        List<CustomResourceDefinition> crds = chart.all(CustomResourceDefinition.class);
        crds.forEach(crd -> contexts.put(crd.getSpec().getNames().getKind(), CustomResourceDefinitionContext.fromCrd(crd)));
        mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.copyOf(contexts.values())), false);
        mock.init(InetAddress.getLoopbackAddress(), 0);
        client = mock.createClient(builder -> builder.withConfig(new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl(mock.url("/")).withTrustCerts(true).withNamespace("default").withUserAgent(TEST_AGENT)
                .build()));
        crds.forEach(crd -> client.apiextensions().v1().customResourceDefinitions().resource(crd).create());
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ROOT).endMetadata().build()).create();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("bookinfo")
                .addToLabels("gatemesh-injection", "enabled").endMetadata().build()).create();
        // The rest of the release, as helm install would create it (the webhook configurations the server patches,
        // its Service among the cluster's Services, ...); no controller runs here, so no pods come of it.
        chart.documents().stream().filter(object -> !(object instanceof CustomResourceDefinition))
                .forEach(object -> client.resource(object).create());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        client.close();
        mock.destroy();
    }

    /** The reviews Deployment, its pod as the ReplicaSet controller would create it, its Service and EndpointSlice. */
    private void deployReviews() {
        Map<String, String> labels = Map.of("app", "reviews", "version", "v1");
        client.apps().deployments().inNamespace("bookinfo").resource(new DeploymentBuilder()
                .withNewMetadata().withName("reviews-v1").withNamespace("bookinfo").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withServiceAccountName("bookinfo-reviews")
                .addNewContainer().withName("reviews").withImage("reviews:1").addNewPort().withContainerPort(9080).endPort()
                .endContainer().endSpec().endTemplate().endSpec().build()).create();
        client.pods().inNamespace("bookinfo").resource(new PodBuilder()
                .withNewMetadata().withName("reviews-v1-7d9c5b-x2x4q").withNamespace("bookinfo").withLabels(labels)
                .addToAnnotations("sidecar.gatemesh.dev/inboundPort", "15006").endMetadata()
                .withNewSpec().withServiceAccountName("bookinfo-reviews")
                .addNewContainer().withName("reviews").withImage("reviews:1").endContainer().endSpec()
                .withNewStatus().withPodIP("10.1.0.7").withPhase("Running").endStatus().build()).create();
        client.services().inNamespace("bookinfo").resource(new ServiceBuilder()
                .withNewMetadata().withName("reviews").withNamespace("bookinfo").endMetadata()
                .withNewSpec().addNewPort().withName("http").withPort(9080).endPort()
                .addToSelector("app", "reviews").endSpec().build()).create();
        client.discovery().v1().endpointSlices().inNamespace("bookinfo").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("reviews-8sd7f").withNamespace("bookinfo")
                .addToLabels("kubernetes.io/service-name", "reviews").endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(9080).endPort()
                .addNewEndpoint().withAddresses("10.1.0.7").withNewConditions().withReady(true).endConditions()
                .withNewTargetRef().withKind("Pod").withName("reviews-v1-7d9c5b-x2x4q").withNamespace("bookinfo")
                .endTargetRef().endEndpoint()
                .build()).create();
    }

    private void apply(String yaml) {
        GenericKubernetesResource resource = client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
        client.genericKubernetesResources(contexts.get(resource.getKind())).inNamespace(resource.getMetadata().getNamespace())
                .resource(resource).create();
    }

    @Test
    void aSidecarGetsTheServiceItsDeploymentsPodAndTheVirtualService() throws Exception {
        deployReviews();
        apply("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: bookinfo}
                spec:
                  hosts: [reviews]
                  http:
                  - route: [{destination: {host: reviews}}]
                    timeout: 3s
                """);
        server = RunningConfigServer.kubernetes(client.getMasterUrl().toString(), home);

        ControlPlaneClient proxy = server.connect("productpage-v1", "productpage", snapshot -> { });
        await().atMost(WAIT).until(() -> proxy.current().map(s -> !s.ofKind(Kind.VIRTUAL_SERVICE).isEmpty()).orElse(false));
        ProxySnapshot snapshot = proxy.current().orElseThrow();
        MeshService reviews = snapshot.services().stream().filter(s -> s.host().equals("reviews.bookinfo.svc.cluster.local"))
                .findFirst().orElseThrow();
        assertThat(reviews.endpoints()).singleElement().satisfies(e -> {
            assertThat(e.address()).isEqualTo("10.1.0.7");
            assertThat(e.labels()).containsEntry("version", "v1");
            assertThat(e.serviceAccount()).isEqualTo("bookinfo-reviews");
        });
        assertThat(snapshot.<VirtualService>ofKind(Kind.VIRTUAL_SERVICE)).singleElement()
                .satisfies(vs -> assertThat(vs.spec().http().get(0).timeout().text()).isEqualTo("3s"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(server.statuses()).singleElement()
                .satisfies(s -> assertThat(s.state()).isEqualTo(SyncState.SYNCED)));
        // The trust bundle reached the workloads' namespace (the injected sidecar mounts it).
        await().atMost(WAIT).until(() -> client.configMaps().inNamespace("bookinfo").withName("gatemesh-ca-root-cert")
                .get() != null);

        Set<String> denied = new TreeSet<>();
        Set<String> made = new TreeSet<>();
        Grants grants = Grants.of(chart, ROOT, "gatemesh-config-server");
        for (RecordedRequest request : drainRequests()) {
            if (TEST_AGENT.equals(request.getHeader("User-Agent"))) {
                continue;
            }
            ApiRequest call = ApiRequest.of(request.getMethod(), request.getPath());
            if (call == null) {
                continue; // discovery, allowed to every authenticated user
            }
            made.add(call.toString());
            if (!grants.allows(call)) {
                denied.add(call.toString());
            }
        }
        assertThat(made).as("the config server's calls").contains("create core secrets in " + ROOT,
                "watch networking.istio.io virtualservices", "list discovery.k8s.io endpointslices");
        assertThat(denied).as("calls the chart's RBAC would deny").isEmpty();
    }

    private List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        RecordedRequest request;
        while ((request = mock.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            requests.add(request);
        }
        return requests;
    }
}
