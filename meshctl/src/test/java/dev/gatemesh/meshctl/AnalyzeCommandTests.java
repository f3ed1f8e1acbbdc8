package dev.gatemesh.meshctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AnalyzeCommandTests {

    static final Path EXAMPLES = Path.of("").toAbsolutePath().getParent().resolve("examples");

    @TempDir
    Path dir;

    @Test
    void theBundledExamplesAnalyzeClean() {
        CliRun run = CliRun.of("analyze", EXAMPLES.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).matches("No problems found in \\d+ resources\\.\\R");
    }

    @Test
    void aBrokenManifestExitsOneWithTheExactFileLineAndField() throws IOException {
        Path file = dir.resolve("reviews.yaml");
        Files.writeString(file, """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: reviews}
                spec:
                  hosts: [reviews.default.svc.cluster.local]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  workloadSelector: {labels: {app: reviews}}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  subsets: [{name: v1, labels: {version: v1}}]
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: reviews
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews, subset: v1}
                      weight: 50
                    - destination:
                        host: reviews
                        subset: v4
                      weight: 50
                """);
        CliRun run = CliRun.of("analyze", file.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out().lines()).containsExactly(
                "Error [GM0101] VirtualService default/reviews (" + file + ":30) spec.http[0].route[1].destination.subset:"
                        + " subset \"v4\" is not defined by any DestinationRule for reviews.default.svc.cluster.local"
                        + " (DestinationRule default/reviews defines v1)",
                "1 error and 0 warnings in 3 resources.");
    }

    @Test
    void warningsAloneExitZero() throws IOException {
        Files.writeString(dir.resolve("envoy-filter.yaml"), """
                apiVersion: networking.istio.io/v1alpha3
                kind: EnvoyFilter
                metadata: {name: default}
                spec: {}
                """);
        CliRun run = CliRun.of("analyze", dir.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Warning [GM0004]").contains("0 errors and 1 warning");
    }

    @Test
    void aMissingPathIsAUsageErrorWithExitTwo() {
        CliRun run = CliRun.of("analyze", dir.resolve("nope").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("Error [GM0001]").contains("no such file or folder");
    }

    @Test
    void noPathOrAnUnknownOptionIsAUsageErrorWithExitTwo() {
        assertThat(CliRun.of("analyze").exitCode()).isEqualTo(2);
        CliRun unknown = CliRun.of("analyze", "--bogus", EXAMPLES.toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option").doesNotContain("Exception");
        assertThat(CliRun.of("frobnicate").exitCode()).isEqualTo(2);
        assertThat(CliRun.of().exitCode()).isEqualTo(2);
    }

    @Test
    void jsonOutputCarriesEveryProblemWithItsLocation() throws IOException {
        Files.writeString(dir.resolve("bad.yaml"), """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: p, namespace: shop}
                spec:
                  action: CUSTOM
                  rules:
                  - from:
                    - source:
                        principals: [spiffe://cluster.local/ns/a/sa/b]
                """);
        CliRun run = CliRun.of("analyze", "-o", "json", dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode json = JsonMapper.builder().build().readTree(run.out());
        assertThat(json.get("errors").asInt()).isEqualTo(2);
        assertThat(json.get("resources").asInt()).isEqualTo(1);
        JsonNode first = json.get("problems").get(0);
        assertThat(first.get("code").asString()).isEqualTo("GM0011");
        assertThat(first.get("kind").asString()).isEqualTo("AuthorizationPolicy");
        assertThat(first.get("namespace").asString()).isEqualTo("shop");
        assertThat(first.get("line").asInt()).isEqualTo(5);
        assertThat(first.get("field").asString()).isEqualTo("spec.action");
        JsonNode second = json.get("problems").get(1);
        assertThat(second.get("code").asString()).isEqualTo("GM0206");
        assertThat(second.get("field").asString()).isEqualTo("spec.rules[0].from[0].source.principals[0]");
        assertThat(second.get("message").asString()).contains("write cluster.local/ns/a/sa/b");
    }

    @Test
    void theRootNamespaceOptionDecidesWhatIsMeshWide() throws IOException {
        String twoMeshWide = """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: istio-system}
                spec: {mtls: {mode: STRICT}}
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: other, namespace: istio-system}
                spec: {mtls: {mode: PERMISSIVE}}
                """;
        Files.writeString(dir.resolve("pa.yaml"), twoMeshWide);
        CliRun run = CliRun.of("analyze", "--root-namespace", "istio-system", dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("GM0105").contains("mesh-wide mutual TLS (root namespace istio-system)");
    }
}
