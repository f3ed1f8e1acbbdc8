package dev.gatemesh.meshctl.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.model.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoWorkloadsTests {

    private static List<Resource<?>> load(String yaml) {
        return new ManifestLoader(LoadOptions.DEFAULTS).loadText("workloads.yaml", yaml).validResources();
    }

    @Test
    void theBookinfoWorkloadEntriesGiveTheSixDemoApps() {
        List<Resource<?>> examples = new ManifestLoader(LoadOptions.DEFAULTS)
                .loadPaths(List.of(BookinfoScenariosTests.BASE)).validResources();

        assertThat(BookinfoApps.fromWorkloadEntries(examples)).containsExactly(
                new DemoWorkload("details-v1", "details", "v1", 19081, 17081),
                new DemoWorkload("productpage-v1", "productpage", "v1", 19080, 17080),
                new DemoWorkload("ratings-v1", "ratings", "v1", 19085, 17085),
                new DemoWorkload("reviews-v1", "reviews", "v1", 19082, 17082),
                new DemoWorkload("reviews-v2", "reviews", "v2", 19083, 17083),
                new DemoWorkload("reviews-v3", "reviews", "v3", 19084, 17084));
    }

    @Test
    void workloadEntriesOfOtherAppsAreNotDemoApps() {
        List<Resource<?>> resources = load("""
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: web, namespace: shop}
                spec: {address: 127.0.0.1, labels: {app: web}, ports: {http: 18080}}
                """);

        assertThat(BookinfoApps.fromWorkloadEntries(resources)).isEmpty();
    }

    @Test
    void aDemoAppWithoutItsOutboundPortAnnotationIsRejectedByName() {
        List<Resource<?>> resources = load("""
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: ratings-v1, namespace: bookinfo}
                spec: {address: 127.0.0.1, labels: {app: ratings, version: v1}, ports: {http: 19085}}
                """);

        assertThatThrownBy(() -> BookinfoApps.fromWorkloadEntries(resources))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("WorkloadEntry bookinfo/ratings-v1: the annotation sidecar.gatemesh.dev/outboundPort must give"
                        + " the sidecar's outbound port (got null)");
    }

    @Test
    void anOutOfRangePortIsRejected() {
        assertThatThrownBy(() -> new DemoWorkload("details-v1", "details", "v1", 70000, 17081))
                .hasMessage("details-v1: appPort must be between 0 and 65535 (got 70000)");
    }
}
