package dev.gatemesh.meshctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.registry.ServiceEntryRegistry;
import dev.gatemesh.api.snapshot.MeshConfig;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.api.snapshot.SnapshotBuilder;
import dev.gatemesh.api.write.ManifestWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The routes and endpoints tables of proxies of the example mesh, from the snapshot's wire form as the
 * config server serves it, against golden text in {@code src/test/resources/proxyconfig/} (regenerate with
 * {@code -Dgolden.update=true} and review the diff).
 */
class ProxyConfigViewsTests {

    private static final Path GOLDEN = Path.of("src/test/resources/proxyconfig");
    private static final LoadOptions OPTIONS = LoadOptions.DEFAULTS;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final ProxyNode PRODUCTPAGE = new ProxyNode("productpage-v1", ProxyRole.SIDECAR, "bookinfo", "bookinfo-productpage",
            Map.of("app", "productpage", "version", "v1"));
    static final ProxyNode INGRESS = new ProxyNode("ingress-1", ProxyRole.INGRESS_GATEWAY, "bookinfo", "ingressgateway",
            Map.of("istio", "ingressgateway"));

    /** What meshctl reads for {@code node}: the example mesh's snapshot in its wire form, and the proxy as the server describes it. */
    static Map<String, Object> wire(ProxyNode node) {
        List<Resource<?>> resources = new ManifestLoader(OPTIONS).loadPaths(List.of(AnalyzeCommandTests.EXAMPLES)).validResources();
        MeshConfig config = new MeshConfig(resources, ServiceEntryRegistry.build(resources, OPTIONS), OPTIONS);
        return parse(SnapshotBuilder.buildEncoded(config, node.proxyClass()).json());
    }

    static ProxyConfigReading reading(ProxyNode node, Map<String, Object> wire) throws ConfigServerApi.Failure {
        Map<String, Object> proxy = new LinkedHashMap<>();
        proxy.put("id", node.id());
        proxy.put("role", node.role().name());
        proxy.put("namespace", node.namespace());
        proxy.put("serviceAccount", node.serviceAccount());
        proxy.put("labels", node.labels());
        return ProxyConfigReading.decode(proxy, wire, OPTIONS);
    }

    private static Map<String, Object> parse(String json) {
        return JSON.readValue(json, new TypeReference<Map<String, Object>>() {
        });
    }

    private static void assertGolden(String name, String actual) throws IOException {
        Path golden = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.update") || !Files.exists(golden)) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, actual);
        }
        assertThat(actual).as("%s; run with -Dgolden.update=true to regenerate", golden).isEqualTo(Files.readString(golden));
    }

    @Test
    void aSidecarsRoutesAreOneRowPerRouteOfEachOutboundService() throws Exception {
        Map<String, Object> routes = RoutesView.plain(reading(PRODUCTPAGE, wire(PRODUCTPAGE)));
        assertGolden("productpage-routes.txt", RoutesView.table(routes));
        assertThat(RoutesView.table(parse(ManifestWriter.toJson(routes)))).as("the same table from the JSON output")
                .isEqualTo(RoutesView.table(routes));
    }

    @Test
    void aGatewaysRoutesAreOneRowPerRouteOfEachPort() throws Exception {
        assertGolden("ingress-routes.txt", RoutesView.table(RoutesView.plain(reading(INGRESS, wire(INGRESS)))));
    }

    @Test
    void endpointsAreOneRowPerInstanceOfEachCluster() throws Exception {
        Map<String, Object> endpoints = EndpointsView.plain(reading(PRODUCTPAGE, wire(PRODUCTPAGE)));
        assertGolden("productpage-endpoints.txt", EndpointsView.table(endpoints));
        assertThat(EndpointsView.table(parse(ManifestWriter.toJson(endpoints)))).isEqualTo(EndpointsView.table(endpoints));
    }

    @Test
    void theSnapshotIsPrintedWithItsVersionFirstThenServicesAndResources() throws Exception {
        Map<String, Object> wire = wire(PRODUCTPAGE);
        String yaml = ManifestWriter.toYamlText(ProxyConfigCommand.Snapshot.document(wire));
        assertThat(yaml).startsWith("version: " + wire.get("version") + "\nservices:\n- endpoints:\n")
                .contains("\nresources:\n- apiVersion: networking.istio.io/v1\n")
                .contains("  kind: VirtualService\n  metadata:\n    name: reviews\n    namespace: bookinfo\n");
    }

    @Test
    void aClusterWithNoInstanceIsShownAsSuch() {
        Map<String, Object> endpoints = Map.of("endpoints", List.of(),
                "clustersWithoutEndpoints", List.of("outbound|9080|v9|reviews.bookinfo.svc.cluster.local"));
        assertThat(EndpointsView.table(endpoints)).endsWith("-         NO ENDPOINTS  outbound|9080|v9|reviews.bookinfo.svc.cluster.local  -        -\n");
    }

    @Test
    void matchesAreSummarisedWithTheirUriFirstAndAnyOfThemSeparatedByBars() {
        Map<String, Object> route = Map.of("match", List.of(
                Map.of("uri", "prefix:/api", "method", "exact:GET", "queryParams", Map.of("debug", "present")),
                Map.of("uri", "exact:/Login (ignoring case)", "withoutHeaders", Map.of("x-canary", "exact:1"))));
        assertThat(RoutesView.match(route))
                .isEqualTo("/api* method=exact:GET query debug=present | exact:/Login (ignoring case) header x-canary!=exact:1");
        assertThat(RoutesView.match(Map.of())).isEqualTo("/*");
    }

    @Test
    void destinationsShowSubsetsAndWeightsOrTheRedirect() {
        Map<String, Object> split = Map.of("forward", List.of(
                Map.of("weight", 90, "clusterByRequestPort", Map.of("9080", "outbound|9080|v1|reviews.bookinfo.svc.cluster.local")),
                Map.of("weight", 10, "cluster", "outbound|9080|v2|reviews.bookinfo.svc.cluster.local")));
        assertThat(RoutesView.destinations(split)).isEqualTo("reviews.bookinfo:9080|v1 90%, reviews.bookinfo:9080|v2 10%");
        Map<String, Object> external = Map.of("forward", List.of(Map.of("weight", 100,
                "cluster", "outbound|443||api.example.com")));
        assertThat(RoutesView.destinations(external)).isEqualTo("api.example.com:443");
        Map<String, Object> redirect = Map.of("redirect", new LinkedHashMap<>(Map.of("status", 301)));
        assertThat(RoutesView.destinations(redirect)).isEqualTo("redirect 301");
        assertThat(RoutesView.domains(List.of("reviews.bookinfo.svc.cluster.local", "reviews.bookinfo.svc", "reviews.bookinfo",
                "reviews"))).isEqualTo("reviews, reviews.bookinfo +2 more");
    }

    @Test
    void aSnapshotWhoseContentDoesNotMatchItsVersionIsRefused() {
        Map<String, Object> wire = wire(PRODUCTPAGE);
        wire.put("version", "0000000000000000");
        assertThatThrownBy(() -> reading(PRODUCTPAGE, wire)).isInstanceOf(ConfigServerApi.Failure.class)
                .hasMessage("the snapshot of proxy productpage-v1 cannot be read: the snapshot's content does not match"
                        + " its version 0000000000000000");
    }
}
