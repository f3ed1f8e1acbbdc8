package dev.gatemesh.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The CRDs the chart installs accept every example manifest of the repository, in every served version,
 * and reject manifests the loader rejects for their types, naming the field.
 */
class CrdSchemaIntegrationTests {

    private static List<CustomResourceDefinition> crds;

    @BeforeAll
    static void render() {
        crds = RenderedChart.parse(Helm.render(ChartIntegrationTests.NAMESPACE)).all(CustomResourceDefinition.class);
        assertThat(crds).isNotEmpty();
    }

    /** Every YAML document of examples/ and scenarios/ whose API group is one of the CRDs'. */
    static List<Map.Entry<String, Map<String, Object>>> exampleManifests() throws IOException {
        List<Map.Entry<String, Map<String, Object>>> manifests = new ArrayList<>();
        for (String folder : List.of("examples", "scenarios")) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(ChartFiles.repository().resolve(folder))) {
                files = walk.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
            }
            for (Path file : files) {
                int index = 0;
                for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))) {
                    if (document instanceof Map<?, ?> map && String.valueOf(map.get("apiVersion")).contains(".istio.io/")) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> manifest = (Map<String, Object>) map;
                        manifests.add(Map.entry(ChartFiles.repository().relativize(file) + "#" + index, manifest));
                    }
                    index++;
                }
            }
        }
        return manifests;
    }

    private static CustomResourceDefinition crdFor(Map<String, Object> manifest) {
        String apiVersion = (String) manifest.get("apiVersion");
        String group = apiVersion.substring(0, apiVersion.indexOf('/'));
        return crds.stream().filter(c -> c.getSpec().getGroup().equals(group)
                        && c.getSpec().getNames().getKind().equals(manifest.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no CRD for " + apiVersion + " " + manifest.get("kind")));
    }

    /** What the API server would say of the manifest: its version served, its body valid against that version's schema. */
    static List<String> admit(Map<String, Object> manifest) {
        String apiVersion = (String) manifest.get("apiVersion");
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        CustomResourceDefinition crd = crdFor(manifest);
        CustomResourceDefinitionVersion served = crd.getSpec().getVersions().stream()
                .filter(v -> v.getName().equals(version) && Boolean.TRUE.equals(v.getServed())).findFirst().orElse(null);
        if (served == null) {
            return List.of("apiVersion: " + apiVersion + " is not served by " + crd.getMetadata().getName());
        }
        Map<String, Object> body = new LinkedHashMap<>(manifest);
        body.remove("apiVersion");
        body.remove("kind");
        body.remove("metadata"); // the API server's own schema
        return SchemaCheck.validate(served.getSchema().getOpenAPIV3Schema(), body, "");
    }

    @Test
    void everySchemaIsStructural() {
        for (CustomResourceDefinition crd : crds) {
            for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
                JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
                assertThat(root.getType()).isEqualTo("object");
                assertThat(SchemaCheck.structuralViolations(root, crd.getMetadata().getName() + "/" + version.getName()))
                        .isEmpty();
            }
        }
    }

    @Test
    void theSchemasAcceptEveryExampleManifestInEveryServedVersion() throws IOException {
        List<Map.Entry<String, Map<String, Object>>> manifests = exampleManifests();
        assertThat(manifests).hasSizeGreaterThan(10);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> example : manifests) {
            CustomResourceDefinition crd = crdFor(example.getValue());
            for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
                Map<String, Object> manifest = new LinkedHashMap<>(example.getValue());
                manifest.put("apiVersion", crd.getSpec().getGroup() + "/" + version.getName());
                admit(manifest).forEach(p -> problems.add(example.getKey() + " as " + version.getName() + ": " + p));
            }
        }
        assertThat(problems).isEmpty();
    }

    private static Map<String, Object> yaml(String text) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
        return map;
    }

    @Test
    void aFieldOfTheWrongTypeIsRejectedWithItsPath() {
        assertThat(admit(yaml("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: reviews
                  http:
                  - route:
                    - destination: {host: reviews, subset: v1}
                      weight: "90"
                    timeout: 2s
                """))).containsExactly(
                "spec.hosts: expected an array, got the string \"reviews\"",
                "spec.http[0].route[0].weight: expected an integer, got the string \"90\"");
    }

    @Test
    void anUnknownEnumValueAndAnUnknownFieldAreRejected() {
        assertThat(admit(yaml("""
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default}
                spec:
                  mtls: {mode: STRICTER}
                  selectr: {matchLabels: {app: reviews}}
                """))).containsExactly(
                "spec.mtls.mode: \"STRICTER\" is not one of [UNSET, DISABLE, PERMISSIVE, STRICT]",
                "spec.selectr: unknown field");
    }

    @Test
    void istiosFieldsThatGatemeshDoesNotImplementAreKeptForTheLoaderToReport() {
        assertThat(admit(yaml("""
                apiVersion: networking.istio.io/v1beta1
                kind: VirtualService
                metadata: {name: db}
                spec:
                  hosts: [db]
                  tcp:
                  - route: [{destination: {host: db}}]
                status:
                  validationMessages: []
                """))).isEmpty();
    }

    @Test
    void aVersionTheLoaderDoesNotAcceptIsNotServed() {
        assertThat(admit(yaml("""
                apiVersion: security.istio.io/v1alpha1
                kind: PeerAuthentication
                metadata: {name: default}
                spec: {}
                """))).singleElement().asString().contains("is not served");
    }
}
