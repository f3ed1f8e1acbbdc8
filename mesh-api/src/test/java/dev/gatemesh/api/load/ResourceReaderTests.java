package dev.gatemesh.api.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.model.AuthorizationPolicy;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.problem.ProblemCode;
import dev.gatemesh.api.problem.Severity;
import dev.gatemesh.api.yaml.YamlNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceReaderTests {

    private final ResourceReader reader = new ResourceReader("default");
    private final ManifestLoader loader = new ManifestLoader(LoadOptions.DEFAULTS);

    @Test
    void readsAKubernetesObjectGivenAsPlainData() {
        Map<String, Object> object = Map.of(
                "apiVersion", "networking.istio.io/v1beta1",
                "kind", "VirtualService",
                "metadata", Map.of("name", "reviews", "namespace", "shop", "resourceVersion", "42"),
                "spec", Map.of("hosts", List.of("reviews"),
                        "http", List.of(Map.of("route", List.of(Map.of("destination", Map.of("host", "reviews")))))),
                "status", Map.of("observedGeneration", 1));
        ResourceReader.Outcome outcome = reader.read(YamlNode.fromPlain(object), "kubernetes", 0);
        assertThat(outcome.problems()).isEmpty();
        assertThat(outcome.resource().kind()).isEqualTo(Kind.VIRTUAL_SERVICE);
        assertThat(outcome.resource().namespace()).isEqualTo("shop");
        VirtualService vs = outcome.resource().as(VirtualService.class).spec();
        assertThat(vs.http().get(0).route().get(0).destination().host()).isEqualTo("reviews");
    }

    @Test
    void givesResourcesWithoutANamespaceTheDefaultOne() {
        var result = loader.loadText("vs.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: r}
                spec: {hosts: [r], http: [{route: [{destination: {host: r}}]}]}
                """);
        assertThat(result.validResources()).singleElement().satisfies(r -> assertThat(r.namespace()).isEqualTo("default"));
    }

    @Test
    void suggestsTheNearestFieldForAMisspeltOne() {
        var result = loader.loadText("dr.yaml", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  subset:
                  - name: v1
                """);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ProblemCode.UNKNOWN_FIELD);
            assertThat(p.line()).isEqualTo(6);
            assertThat(p.toLine()).isEqualTo("Error [GM0010] DestinationRule default/reviews (dr.yaml:6) spec.subset: "
                    + "unknown field \"subset\"; did you mean \"subsets\"?");
        });
    }

    @Test
    void anUnsupportedFieldFailsASecurityPolicyButOnlyWarnsOnATrafficRule() {
        var security = loader.loadText("ap.yaml", """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: p}
                spec:
                  rules:
                  - from:
                    - source:
                        remoteIpBlocks: [10.0.0.0/8]
                        principals: ["*"]
                """);
        var traffic = loader.loadText("vs.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: r}
                spec:
                  hosts: [r]
                  http: [{route: [{destination: {host: r}}]}]
                  tcp: [{route: [{destination: {host: r}}]}]
                """);
        assertThat(security.problems()).extracting(Problem::severity, Problem::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Severity.ERROR, ProblemCode.UNSUPPORTED_FIELD));
        assertThat(security.validResources()).isEmpty();
        assertThat(traffic.problems()).extracting(Problem::severity, Problem::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Severity.WARNING, ProblemCode.UNSUPPORTED_FIELD));
        assertThat(traffic.validResources()).hasSize(1);
    }

    @Test
    void theDefaultActionOfAnAuthorizationPolicyIsAllow() {
        var result = loader.loadText("ap.yaml", """
                apiVersion: security.istio.io/v1beta1
                kind: AuthorizationPolicy
                metadata: {name: allow-nothing, namespace: foo}
                spec: {}
                """);
        var policy = result.validResources().get(0).as(AuthorizationPolicy.class).spec();
        assertThat(policy.effectiveAction()).isEqualTo(AuthorizationPolicy.Action.ALLOW);
        assertThat(policy.rules()).isEmpty();
    }

    @Test
    void modelCollectionsAreImmutable() {
        var result = loader.loadText("vs.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: r}
                spec: {hosts: [r], http: [{route: [{destination: {host: r}}]}]}
                """);
        VirtualService vs = result.validResources().get(0).as(VirtualService.class).spec();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> vs.hosts().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(vs.gateways()).isEmpty();
    }

    @Test
    void reportsEveryProblemOfADocumentInOnePass() {
        var result = loader.loadText("vs.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: r}
                spec:
                  hosts: [r]
                  http:
                  - timeout: 5
                    retries: {attempts: "3", perTryTimeout: 1x}
                    route:
                    - destination: {host: r}
                      weight: 40
                    - destination: {host: r}
                      weight: 40
                """);
        assertThat(result.problems()).extracting(p -> p.code().code() + " " + p.field()).containsExactlyInAnyOrder(
                "GM0012 spec.http[0].timeout",
                "GM0012 spec.http[0].retries.attempts",
                "GM0204 spec.http[0].retries.perTryTimeout",
                "GM0202 spec.http[0].route");
    }
}
