package dev.gatemesh.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.crd.CustomResourceDefinitions;
import dev.gatemesh.api.model.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The config server's RBAC is exactly what its code calls, no more: the list below names each call and
 * where it is made. A grant the code does not need, or a call without its grant, fails the test.
 * ({@code dev.gatemesh.server.ChartOnKubernetesMockIntegrationTests} checks the calls the running server
 * actually makes against the same grants.)
 */
class ConfigServerRbacIntegrationTests {

    private static final String NS = ChartIntegrationTests.NAMESPACE;

    /** {@code scope group resource[/name] verb}, as {@link Grants.Permission#toString()} writes them. */
    static Set<String> neededByTheConfigServer() {
        List<String> needed = new ArrayList<>();
        // KubernetesConfigSource: an informer (list, watch) per Istio kind of the model, in every namespace.
        for (Kind kind : Kind.values()) {
            if (kind.group().isIstio()) {
                String resource = CustomResourceDefinitions.plural(kind.kindName());
                needed.add("cluster " + kind.group().group() + " " + resource + " list");
                needed.add("cluster " + kind.group().group() + " " + resource + " watch");
            }
        }
        // KubernetesConfigSource: informers over Services, EndpointSlices, Pods and Namespaces
        // (KubernetesCaStore lists namespaces too, to publish the trust bundle in each).
        for (String resource : List.of("core services", "discovery.k8s.io endpointslices", "core pods", "core namespaces")) {
            needed.add("cluster " + resource + " list");
            needed.add("cluster " + resource + " watch");
        }
        // NamespaceLabels (the sidecar injector): the labels of the namespace a pod is created in.
        needed.add("cluster core namespaces get");
        // KubernetesSpringConfigSource: an informer over labelled ConfigMaps; KubernetesCaStore.publish: the trust
        // bundle ConfigMap in every namespace, created or (createOr -> update, which reads it first) updated.
        for (String verb : List.of("get", "list", "watch", "create", "update")) {
            needed.add("cluster core configmaps " + verb);
        }
        // KubernetesConfigSource.recordRejection: a Warning Event on a rejected resource.
        needed.add("cluster core events create");
        // KubernetesTokenIdentity: TokenReviews of workloads' projected tokens.
        needed.add("cluster authentication.k8s.io tokenreviews create");
        // The webhooks' caBundle, patched by the config server on its own two configurations only.
        needed.add("cluster admissionregistration.k8s.io mutatingwebhookconfigurations/gatemesh-sidecar-injector get");
        needed.add("cluster admissionregistration.k8s.io mutatingwebhookconfigurations/gatemesh-sidecar-injector patch");
        needed.add("cluster admissionregistration.k8s.io validatingwebhookconfigurations/gatemesh-validator get");
        needed.add("cluster admissionregistration.k8s.io validatingwebhookconfigurations/gatemesh-validator patch");
        // KubernetesCaStore.loadOrCreate: the plugged-in CA or the generated one, in the root (release) namespace;
        // the first replica creates gatemesh-ca (create cannot be limited to a name).
        needed.add(NS + " core secrets/cacerts get");
        needed.add(NS + " core secrets/gatemesh-ca get");
        needed.add(NS + " core secrets create");
        return new TreeSet<>(needed);
    }

    @Test
    void theConfigServerIsGrantedExactlyTheCallsItMakes() {
        RenderedChart chart = RenderedChart.parse(Helm.render(NS));
        Grants grants = Grants.of(chart, NS, "gatemesh-config-server");
        assertThat(grants.described()).containsExactlyElementsOf(neededByTheConfigServer());
    }

    @Test
    void noGrantUsesAWildcard() {
        RenderedChart chart = RenderedChart.parse(Helm.render(NS));
        assertThat(Grants.of(chart, NS, "gatemesh-config-server").permissions()).allSatisfy(p -> {
            assertThat(p.group()).isNotEqualTo("*");
            assertThat(p.resource()).isNotEqualTo("*");
            assertThat(p.verb()).isNotEqualTo("*");
        });
    }

    @Test
    void theGatewaysMayOnlyWatchTheSecretsOfTheirNamespace() {
        RenderedChart chart = RenderedChart.parse(Helm.render(NS));
        assertThat(Grants.of(chart, NS, "gatemesh-ingressgateway").described())
                .containsExactly(NS + " core secrets list", NS + " core secrets watch");
        // The egress gateway's client certificates for MUTUAL origination (DestinationRule credentialName).
        assertThat(Grants.of(chart, NS, "gatemesh-egressgateway").described())
                .containsExactly(NS + " core secrets list", NS + " core secrets watch");
    }

    @Test
    void requestsAreReadAsRbacReadsThem() {
        assertThat(ApiRequest.of("GET", "/apis/discovery.k8s.io/v1/endpointslices?resourceVersion=0&watch=true"))
                .hasToString("watch discovery.k8s.io endpointslices");
        assertThat(ApiRequest.of("GET", "/api/v1/namespaces/gatemesh-system/secrets/cacerts"))
                .hasToString("get core secrets/cacerts in gatemesh-system");
        assertThat(ApiRequest.of("POST", "/api/v1/namespaces/bookinfo/configmaps"))
                .hasToString("create core configmaps in bookinfo");
        assertThat(ApiRequest.of("GET", "/api/v1/namespaces")).hasToString("list core namespaces");
        assertThat(ApiRequest.of("GET", "/api/v1/namespaces/bookinfo")).hasToString("get core namespaces/bookinfo");
        assertThat(ApiRequest.of("GET", "/apis/networking.istio.io/v1/virtualservices?limit=500"))
                .hasToString("list networking.istio.io virtualservices");
        assertThat(ApiRequest.of("GET", "/apis")).isNull();
    }
}
