package dev.gatemesh.api.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.Fixtures;
import dev.gatemesh.api.Golden;
import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.LoadResult;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.protocol.ProtocolCodec;
import dev.gatemesh.api.registry.MeshService;
import dev.gatemesh.api.registry.ServiceEntryRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

class SnapshotBuilderTests {

    static final LoadOptions OPTIONS = LoadOptions.DEFAULTS;

    static MeshConfig examples() {
        LoadResult loaded = new ManifestLoader(OPTIONS).loadPaths(List.of(Fixtures.repositoryRoot().resolve("examples")));
        List<Resource<?>> resources = loaded.validResources();
        return new MeshConfig(resources, ServiceEntryRegistry.build(resources, OPTIONS), OPTIONS);
    }

    static ProxyNode.ProxyClass sidecar(String app) {
        return new ProxyNode.ProxyClass(ProxyRole.SIDECAR, "bookinfo", Map.of("app", app, "version", "v1"));
    }

    @Test
    void aSidecarGetsEveryVisibleServiceTheMeshRoutesAndItsOwnPolicies() {
        ProxySnapshot snapshot = SnapshotBuilder.build(examples(), sidecar("reviews"));
        assertThat(snapshot.services()).extracting(MeshService::host).containsExactly(
                "details.bookinfo.svc.cluster.local", "productpage.bookinfo.svc.cluster.local",
                "ratings.bookinfo.svc.cluster.local", "reviews.bookinfo.svc.cluster.local");
        assertThat(names(snapshot, Kind.VIRTUAL_SERVICE)).containsExactly("details", "ratings", "reviews");
        assertThat(names(snapshot, Kind.DESTINATION_RULE)).containsExactly("details", "productpage", "ratings", "reviews");
        assertThat(names(snapshot, Kind.PEER_AUTHENTICATION)).containsExactly("default");
        assertThat(names(snapshot, Kind.AUTHORIZATION_POLICY)).containsExactly("reviews-viewer");
        assertThat(names(snapshot, Kind.GATEWAY)).isEmpty();
    }

    @Test
    void theServicesCarryTheirWorkloadsAndSidecarPorts() {
        ProxySnapshot snapshot = SnapshotBuilder.build(examples(), sidecar("productpage"));
        MeshService reviews = snapshot.services().stream()
                .filter(s -> s.host().startsWith("reviews.")).findFirst().orElseThrow();
        assertThat(reviews.endpoints()).hasSize(3);
        assertThat(reviews.endpoints()).extracting(e -> e.labels().get("version")).containsExactly("v1", "v2", "v3");
        assertThat(reviews.endpoints()).extracting(e -> e.sidecarPort()).containsExactly(16082, 16083, 16084);
        assertThat(reviews.endpoints().get(0).spiffeId("cluster.local"))
                .isEqualTo("spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews");
    }

    @Test
    void anIngressGatewayGetsTheGatewaysThatSelectItAndTheRoutesBoundToThem() {
        var ingress = new ProxyNode.ProxyClass(ProxyRole.INGRESS_GATEWAY, "gatemesh-system", Map.of("istio", "ingressgateway"));
        ProxySnapshot snapshot = SnapshotBuilder.build(examples(), ingress);
        assertThat(names(snapshot, Kind.GATEWAY)).containsExactly("bookinfo-gateway");
        assertThat(names(snapshot, Kind.VIRTUAL_SERVICE)).containsExactly("bookinfo");
        assertThat(names(snapshot, Kind.AUTHORIZATION_POLICY)).isEmpty();

        var otherGateway = new ProxyNode.ProxyClass(ProxyRole.INGRESS_GATEWAY, "gatemesh-system", Map.of("istio", "other"));
        assertThat(names(SnapshotBuilder.build(examples(), otherGateway), Kind.VIRTUAL_SERVICE)).isEmpty();
    }

    @Test
    void theSameInputInAnyOrderGivesByteIdenticalSnapshots() {
        MeshConfig config = examples();
        String first = SnapshotCodec.encode(SnapshotBuilder.build(config, sidecar("productpage")));
        for (long seed = 0; seed < 5; seed++) {
            List<Resource<?>> shuffled = new ArrayList<>(config.resources());
            Collections.shuffle(shuffled, new Random(seed));
            MeshConfig reordered = new MeshConfig(shuffled, ServiceEntryRegistry.build(shuffled, OPTIONS), OPTIONS);
            assertThat(SnapshotCodec.encode(SnapshotBuilder.build(reordered, sidecar("productpage")))).isEqualTo(first);
        }
    }

    @Test
    void theVersionChangesWithTheContentAndOnlyWithIt() {
        MeshConfig config = examples();
        ProxySnapshot reviews = SnapshotBuilder.build(config, sidecar("reviews"));
        ProxySnapshot ratings = SnapshotBuilder.build(config, sidecar("ratings"));
        ProxySnapshot details = SnapshotBuilder.build(config, sidecar("details"));
        assertThat(reviews.version()).isNotEqualTo(ratings.version());
        assertThat(SnapshotBuilder.build(config, sidecar("reviews")).version()).isEqualTo(reviews.version());
        List<Resource<?>> fewer = config.resources().stream().filter(r -> !r.name().equals("ratings-viewer")).toList();
        MeshConfig changed = new MeshConfig(fewer, config.registry(), OPTIONS);
        assertThat(SnapshotBuilder.build(changed, sidecar("reviews")).version()).isEqualTo(reviews.version());
        assertThat(SnapshotBuilder.build(changed, sidecar("ratings")).version()).isNotEqualTo(ratings.version());
        assertThat(SnapshotBuilder.build(changed, sidecar("details")).version()).isEqualTo(details.version());
    }

    @Test
    void theWireFormSerializedOnceIsTheCanonicalEncoding() {
        SnapshotCodec.Encoded encoded = SnapshotBuilder.buildEncoded(examples(), sidecar("reviews"));
        assertThat(encoded.json()).isEqualTo(SnapshotCodec.encode(encoded.snapshot()));
    }

    @Test
    void aSnapshotSurvivesEncodingAndDecoding() {
        ProxySnapshot snapshot = SnapshotBuilder.build(examples(), sidecar("productpage"));
        String json = SnapshotCodec.encode(snapshot);
        SnapshotCodec.Decoded decoded = SnapshotCodec.decode(ProtocolCodec.parseObject(json), OPTIONS);
        assertThat(decoded.errors()).isEmpty();
        assertThat(decoded.snapshot()).isEqualTo(snapshot);
        assertThat(SnapshotCodec.encode(decoded.snapshot())).isEqualTo(json);
    }

    @Test
    void aSnapshotWhoseContentDoesNotMatchItsVersionOrDoesNotValidateIsRefused() {
        String json = SnapshotCodec.encode(SnapshotBuilder.build(examples(), sidecar("productpage")));
        var tampered = SnapshotCodec.decode(ProtocolCodec.parseObject(json.replace("\"weight\"", "\"weight\"")
                .replace("bookinfo-productpage", "bookinfo-intruder")), OPTIONS);
        assertThat(tampered.ok()).isFalse();
        assertThat(tampered.errors()).singleElement().asString().contains("does not match its version");

        var invalid = SnapshotCodec.decode(ProtocolCodec.parseObject(json.replace("\"subset\":\"v1\"", "\"subset\":\"V 1\"")),
                OPTIONS);
        assertThat(invalid.ok()).isFalse();
        assertThat(invalid.errors()).anySatisfy(e -> assertThat(e).contains("GM0215"));
    }

    @Test
    void theProductpageSidecarSnapshotMatchesItsGoldenFile() throws Exception {
        ProxySnapshot snapshot = SnapshotBuilder.build(examples(), sidecar("productpage"));
        Object tree = ProtocolCodec.parseObject(SnapshotCodec.encode(snapshot));
        String pretty = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(tree) + "\n";
        Golden.assertMatches("snapshot-bookinfo-productpage-sidecar.json", pretty);
    }

    private static List<String> names(ProxySnapshot snapshot, Kind kind) {
        return snapshot.ofKind(kind).stream().map(Resource::name).toList();
    }
}
