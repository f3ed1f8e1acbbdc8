package dev.gatemesh.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EndpointExclusionTests {

    private static final Endpoint A = new Endpoint("10.0.0.1", 9080, 15006, "a", Map.of(), true);
    private static final Endpoint B = new Endpoint("10.0.0.2", 9080, 15006, "b", Map.of(), true);
    private static final Endpoint C = new Endpoint("10.0.0.3", 9080, 15006, "c", Map.of(), true);

    private final EndpointPicker picker = new EndpointPicker(new SplittableRandom(3));

    private static Cluster cluster(LoadBalancing.Policy policy, Endpoint... endpoints) {
        return new Cluster(Cluster.name(9080, null, "reviews"), "reviews", 9080, null, List.of(endpoints),
                new LoadBalancing(policy, null), Cluster.PeerTls.AUTO, Set.of());
    }

    @Test
    void aRetryNeverGoesToAnEndpointAlreadyTriedWhileOthersAreLeft() {
        for (LoadBalancing.Policy policy : List.of(LoadBalancing.Policy.ROUND_ROBIN, LoadBalancing.Policy.RANDOM,
                LoadBalancing.Policy.LEAST_REQUEST)) {
            Cluster cluster = cluster(policy, A, B, C);
            for (int i = 0; i < 100; i++) {
                assertThat(picker.pick(cluster, TestRequest.to("reviews"), Set.of(A, B)::contains)).as(policy.name()).isEqualTo(C);
                assertThat(picker.pick(cluster, TestRequest.to("reviews"), Set.of(A)::contains)).isIn(B, C);
            }
        }
    }

    @Test
    void whenEveryEndpointWasTriedAnyMayBePicked() {
        Cluster cluster = cluster(LoadBalancing.Policy.ROUND_ROBIN, A, B);
        assertThat(picker.pick(cluster, TestRequest.to("reviews"), Set.of(A, B)::contains)).isIn(A, B);
    }

    @Test
    void unhealthyEndpointsAreNotPickedForARetry() {
        Endpoint sick = new Endpoint("10.0.0.9", 9080, 15006, "s", Map.of(), false);
        Cluster cluster = cluster(LoadBalancing.Policy.RANDOM, A, sick, B);
        for (int i = 0; i < 50; i++) {
            assertThat(picker.pick(cluster, TestRequest.to("reviews"), Set.of(A)::contains)).isEqualTo(B);
        }
    }
}
