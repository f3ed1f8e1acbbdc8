package dev.gatemesh.meshctl.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.snapshot.ProxyRole;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPlannerTests {

    @TempDir
    Path folder;

    @Test
    void theBookinfoExamplePlansSixSidecarsAndAGeneratedIngressGateway() {
        LocalPlan plan = LocalPlanner.plan(Path.of("..", "examples", "bookinfo"), LoadOptions.DEFAULTS);
        assertThat(plan.errors()).isEmpty();
        assertThat(plan.components()).extracting(LocalComponent::name).containsExactly("istio-ingressgateway",
                "productpage-v1", "details-v1", "reviews-v1", "reviews-v2", "reviews-v3", "ratings-v1");
        LocalComponent gateway = plan.components().get(0);
        assertThat(gateway.role()).isEqualTo(ProxyRole.INGRESS_GATEWAY);
        assertThat(gateway.generated()).isTrue();
        assertThat(gateway.identity("cluster.local"))
                .isEqualTo("spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account");
        assertThat(gateway.ports()).extracting(LocalComponent.PortUse::port).containsExactly(8080);
        assertThat(plan.generatedManifests()).contains("kind: WorkloadEntry").contains("name: istio-ingressgateway")
                .contains("istio: ingressgateway");
        LocalComponent productpage = plan.components().get(1);
        assertThat(productpage.inboundPort()).isEqualTo(16080);
        assertThat(productpage.outboundPort()).isEqualTo(17080);
        assertThat(productpage.appPorts()).containsExactly(19080);
    }

    @Test
    void aGeneratedEgressGatewayIsAServiceSidecarsCanRouteToOnItsServerPorts() throws Exception {
        Files.writeString(folder.resolve("egress.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: istio-egressgateway, namespace: istio-system}
                spec:
                  selector: {istio: egressgateway}
                  servers:
                  - port: {number: 15443, name: tls, protocol: HTTPS}
                    hosts: [api.example.com]
                    tls: {mode: ISTIO_MUTUAL}
                """);
        LocalPlan plan = LocalPlanner.plan(folder, LoadOptions.DEFAULTS);

        assertThat(plan.errors()).isEmpty();
        assertThat(plan.components()).singleElement().satisfies(gateway -> {
            assertThat(gateway.role()).isEqualTo(ProxyRole.EGRESS_GATEWAY);
            assertThat(gateway.identity("cluster.local"))
                    .isEqualTo("spiffe://cluster.local/ns/istio-system/sa/istio-egressgateway-service-account");
        });
        var generated = new dev.gatemesh.api.load.ManifestLoader(LoadOptions.DEFAULTS)
                .loadText("generated.yaml", plan.generatedManifests());
        assertThat(generated.problems()).isEmpty();
        var services = dev.gatemesh.api.registry.ServiceEntryRegistry.build(generated.validResources(), LoadOptions.DEFAULTS)
                .services();
        assertThat(services).singleElement().satisfies(service -> {
            assertThat(service.host()).isEqualTo("istio-egressgateway.istio-system.svc.cluster.local");
            assertThat(service.ports()).extracting(p -> p.number()).containsExactly(15443);
            assertThat(service.endpoints()).singleElement().satisfies(endpoint -> {
                assertThat(endpoint.address()).isEqualTo("127.0.0.1");
                assertThat(endpoint.serviceAccount()).isEqualTo("istio-egressgateway-service-account");
            });
        });
    }

    @Test
    void aGatewayWorkloadEntryInTheFolderIsUsedInsteadOfAGeneratedOne() throws Exception {
        Files.writeString(folder.resolve("gateway.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: edge, namespace: shop}
                spec:
                  selector: {gatemesh: ingressgateway}
                  servers:
                  - port: {number: 8443, name: http, protocol: HTTP}
                    hosts: ["*"]
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: edge-gateway, namespace: edge}
                spec:
                  address: 127.0.0.1
                  serviceAccount: edge
                  labels: {gatemesh: ingressgateway}
                """);
        LocalPlan plan = LocalPlanner.plan(folder, LoadOptions.DEFAULTS);
        assertThat(plan.errors()).isEmpty();
        assertThat(plan.generatedManifests()).isEmpty();
        assertThat(plan.components()).singleElement().satisfies(gateway -> {
            assertThat(gateway.name()).isEqualTo("edge-gateway");
            assertThat(gateway.claim()).isEqualTo("edge/edge-gateway");
            assertThat(gateway.ports()).extracting(LocalComponent.PortUse::port).containsExactly(8443);
        });
    }

    @Test
    void anEgressGatewayStartsWhenAGatewaySelectsIt() throws Exception {
        Files.writeString(folder.resolve("egress.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: egress, namespace: shop}
                spec:
                  selector: {istio: egressgateway}
                  servers:
                  - port: {number: 8081, name: http, protocol: HTTP}
                    hosts: ["*"]
                """);
        LocalPlan plan = LocalPlanner.plan(folder, LoadOptions.DEFAULTS);
        assertThat(plan.components()).singleElement().satisfies(gateway -> {
            assertThat(gateway.role()).isEqualTo(ProxyRole.EGRESS_GATEWAY);
            assertThat(gateway.name()).isEqualTo("istio-egressgateway");
        });
    }

    @Test
    void twoListenersOnOnePortAreRefusedNamingBoth() throws Exception {
        Files.writeString(folder.resolve("workloads.yaml"), entry("a", 16000, 17000) + "---\n" + entry("b", 16000, 17001));
        LocalPlan plan = LocalPlanner.plan(folder, LoadOptions.DEFAULTS);
        assertThat(plan.errors()).singleElement().asString().contains("port 16000 is wanted twice")
                .contains("inbound listener of a").contains("inbound listener of b");
    }

    private static String entry(String name, int inbound, int outbound) {
        return """
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: %s
                  namespace: shop
                  annotations:
                    sidecar.gatemesh.dev/inboundPort: "%d"
                    sidecar.gatemesh.dev/outboundPort: "%d"
                spec:
                  address: 127.0.0.1
                  labels: {app: %s}
                  ports: {http: 9080}
                """.formatted(name, inbound, outbound, name);
    }
}
