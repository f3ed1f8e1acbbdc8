package dev.gatemesh.proxy.outlier;

import dev.gatemesh.proxy.route.OutlierSettings;
import dev.gatemesh.proxy.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.proxy.route.Cluster;
import dev.gatemesh.proxy.route.Endpoint;
import dev.gatemesh.proxy.route.EndpointPicker;
import dev.gatemesh.proxy.route.LoadBalancing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OutlierEjectionsTests {

    private final MutableClock clock = new MutableClock();
    private final List<String> ejected = new ArrayList<>();
    private final OutlierEjections ejections = new OutlierEjections(clock, new OutlierEjections.Listener() {
        @Override
        public void ejected(Cluster cluster, String endpoint) {
            ejected.add(endpoint);
        }

        @Override
        public void detecting(String clusterName, String host) {
        }
    });

    private static final List<Endpoint> ENDPOINTS = List.of(endpoint(1), endpoint(2), endpoint(3));

    private static Endpoint endpoint(int n) {
        return new Endpoint("127.0.0." + n, 9080, 15006, "spiffe://cluster.local/ns/bookinfo/sa/ratings", Map.of(), true);
    }

    private static Cluster cluster(OutlierSettings settings) {
        return new Cluster("outbound|9080||ratings", "ratings", 9080, null, ENDPOINTS, LoadBalancing.DEFAULT,
                Cluster.PeerTls.AUTO, Set.of(), null, settings);
    }

    private static OutlierSettings settings(int consecutive5xx) {
        return new OutlierSettings(consecutive5xx, 0, Duration.ofMillis(100), Duration.ofSeconds(1), 100, 0);
    }

    @Test
    void loadBalancingSkipsAnEjectedEndpointUntilItReturns() {
        Cluster cluster = cluster(settings(2));
        EndpointPicker picker = new EndpointPicker(new SplittableRandom(1), ejections);
        ejections.record(cluster, endpoint(2), 500);
        ejections.record(cluster, endpoint(2), 500);
        Set<Endpoint> picked = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            picked.add(picker.pick(cluster, null));
        }
        assertThat(picked).containsExactlyInAnyOrder(endpoint(1), endpoint(3));
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 30; i++) {
            picked.add(picker.pick(cluster, null));
        }
        assertThat(picked).hasSize(3);
        assertThat(ejected).containsExactly("127.0.0.2:9080");
    }

    @Test
    void ejectionsSurviveANewTableWithTheSameSettingsAndAreDroppedWhenTheyChange() {
        ejections.record(cluster(settings(1)), endpoint(1), 500);
        assertThat(ejections.test(cluster(settings(1)), endpoint(1))).isTrue();
        assertThat(ejections.ejected("outbound|9080||ratings")).isEqualTo(1);
        assertThat(ejections.test(cluster(settings(2)), endpoint(1))).isFalse();
    }

    @Test
    void aClusterWithoutOutlierDetectionNeverEjects() {
        Cluster cluster = cluster(null);
        for (int i = 0; i < 20; i++) {
            ejections.record(cluster, endpoint(1), 503);
        }
        assertThat(ejections.test(cluster, endpoint(1))).isFalse();
    }

    @Test
    void forgottenClustersLoseTheirState() {
        ejections.record(cluster(settings(1)), endpoint(1), 500);
        ejections.retainOnly(List.of("outbound|9080||other"));
        assertThat(ejections.ejected("outbound|9080||ratings")).isZero();
    }
}
