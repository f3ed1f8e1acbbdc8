package dev.gatemesh.api.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.PeerAuthentication;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomResourceDefinitionsTests {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> map, String... path) {
        Object node = map;
        for (String key : path) {
            node = ((Map<String, Object>) node).get(key);
            assertThat(node).as("%s in %s", key, String.join(".", path)).isNotNull();
        }
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> specSchema(Kind kind, int version) {
        Map<String, Object> crd = CustomResourceDefinitions.of(kind);
        List<Object> versions = (List<Object>) at(crd, "spec").get("versions");
        return at((Map<String, Object>) versions.get(version), "schema", "openAPIV3Schema", "properties", "spec");
    }

    @Test
    void everyIstioKindOfTheModelGetsOneCrdAndKubernetesKindsNone() {
        List<String> names = CustomResourceDefinitions.all().stream().map(crd -> (String) at(crd, "metadata").get("name"))
                .toList();
        assertThat(names).contains("virtualservices.networking.istio.io", "destinationrules.networking.istio.io",
                "serviceentries.networking.istio.io", "authorizationpolicies.security.istio.io");
        long istioKinds = java.util.Arrays.stream(Kind.values()).filter(k -> k.group().isIstio()).count();
        assertThat(names).hasSize((int) istioKinds).doesNotHaveDuplicates().noneMatch(n -> n.startsWith("services."));
    }

    @Test
    @SuppressWarnings("unchecked")
    void versionsAreTheLoadersWithTheFirstStoredAndAllServed() {
        List<Map<String, Object>> versions = (List<Map<String, Object>>) at(CustomResourceDefinitions.of(Kind.VIRTUAL_SERVICE),
                "spec").get("versions");
        assertThat(versions).extracting(v -> v.get("name")).containsExactly("v1", "v1beta1", "v1alpha3");
        assertThat(versions).extracting(v -> v.get("storage")).containsExactly(true, false, false);
        assertThat(versions).allSatisfy(v -> assertThat(v.get("served")).isEqualTo(true));
        List<Map<String, Object>> security = (List<Map<String, Object>>) at(CustomResourceDefinitions.of(
                Kind.PEER_AUTHENTICATION), "spec").get("versions");
        assertThat(security).extracting(v -> v.get("name")).containsExactly("v1", "v1beta1");
    }

    @Test
    void recordComponentsBecomeTypedPropertiesUnderTheLoadersNames() {
        Map<String, Object> spec = specSchema(Kind.VIRTUAL_SERVICE, 0);
        assertThat(spec).containsEntry("type", "object");
        assertThat(at(spec, "properties", "hosts")).containsEntry("type", "array");
        assertThat(at(spec, "properties", "hosts", "items")).containsEntry("type", "string");
        Map<String, Object> route = at(spec, "properties", "http", "items", "properties");
        assertThat(at(route, "timeout")).containsEntry("type", "string");
        assertThat(at(route, "route", "items", "properties", "weight")).containsEntry("type", "integer");
        assertThat(at(route, "mirrorPercentage", "properties", "value")).containsEntry("type", "number");
        Map<String, Object> match = at(route, "match", "items", "properties");
        assertThat(at(match, "headers")).containsEntry("type", "object");
        assertThat(at(match, "headers", "additionalProperties", "properties", "exact")).containsEntry("type", "string");
        assertThat(at(match, "ignoreUriCase")).containsEntry("type", "boolean");
    }

    @Test
    @SuppressWarnings("unchecked")
    void enumsAreStringsOfTheirConstantNames() {
        Map<String, Object> mtls = at(specSchema(Kind.PEER_AUTHENTICATION, 0), "properties", "mtls", "properties", "mode");
        assertThat(mtls).containsEntry("type", "string");
        assertThat((List<Object>) mtls.get("enum")).containsExactlyElementsOf(
                java.util.Arrays.stream(PeerAuthentication.Mode.values()).map(Enum::name).toList());
    }

    @Test
    void istioFieldsGatemeshDoesNotImplementArePreservedForTheLoaderToReport() {
        Map<String, Object> tcp = at(specSchema(Kind.VIRTUAL_SERVICE, 0), "properties", "tcp");
        assertThat(tcp).containsEntry("x-kubernetes-preserve-unknown-fields", true).doesNotContainKey("type");
    }

    @Test
    void statusIsKeptAsWrittenAndHasItsSubresource() {
        Map<String, Object> crd = CustomResourceDefinitions.of(Kind.GATEWAY);
        assertThat(CustomResourceDefinitions.yaml()).contains("x-kubernetes-preserve-unknown-fields: true");
        assertThat(at(crd, "spec", "names")).containsEntry("shortNames", List.of("gw"))
                .containsEntry("categories", List.of("istio-io", "networking-istio-io"));
    }

    @Test
    void pluralsAreIstios() {
        assertThat(CustomResourceDefinitions.plural("Gateway")).isEqualTo("gateways");
        assertThat(CustomResourceDefinitions.plural("ServiceEntry")).isEqualTo("serviceentries");
        assertThat(CustomResourceDefinitions.plural("AuthorizationPolicy")).isEqualTo("authorizationpolicies");
        assertThat(CustomResourceDefinitions.plural("Sidecar")).isEqualTo("sidecars");
    }

    @Test
    void theChartTemplateListsThePluralsByGroupForRbacAndTheValidator() {
        assertThat(CrdFile.resourcesJson()).startsWith("{\"networking.istio.io\":[\"virtualservices\",")
                .contains("\"gateways\"").contains("\"security.istio.io\":[\"peerauthentications\",");
        assertThat(CrdFile.text()).contains("{{- if .Values.crds.install }}").endsWith("{{- end }}\n")
                .contains(CrdFile.REGENERATE);
    }

    @Test
    void theYamlIsTheSameEveryTime() {
        assertThat(CustomResourceDefinitions.yaml()).isEqualTo(CustomResourceDefinitions.yaml());
    }

    record Node(String name, List<Node> children) {
    }

    @Test
    void aRecursiveRecordIsRefusedWithItsPath() {
        assertThatThrownBy(() -> StructuralSchema.of(Node.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains itself").hasMessageContaining(".children[]");
    }
}
