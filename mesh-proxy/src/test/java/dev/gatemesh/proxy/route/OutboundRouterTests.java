package dev.gatemesh.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OutboundRouterTests {

    private final SplittableRandom random = new SplittableRandom(20261125);
    private final OutboundRouter router = new OutboundRouter(new EndpointPicker(random), random);

    private OutboundRouter.Forward forward(RouteTable table, TestRequest request) {
        OutboundRouter.Decision decision = router.route(table, request);
        assertThat(decision).isInstanceOf(OutboundRouter.Forward.class);
        return (OutboundRouter.Forward) decision;
    }

    @Test
    void aNinetyTenSplitOverTwoThousandRequestsLandsWithinThreePoints() throws Exception {
        RouteTable table = RouteTableGoldenTests.table("04-weighted-90-10");
        Map<String, Integer> bySubset = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            bySubset.merge(forward(table, TestRequest.to("reviews:9080")).cluster().subset(), 1, Integer::sum);
        }
        assertThat(bySubset.get("v1") / 20.0).isBetween(87.0, 93.0);
        assertThat(bySubset.get("v2") / 20.0).isBetween(7.0, 13.0);
    }

    @Test
    void aNamedUserIsRoutedToV2AndEverybodyElseToV1() throws Exception {
        RouteTable table = RouteTableGoldenTests.table("05-header-match-end-user");
        assertThat(forward(table, TestRequest.to("reviews").header("End-User", "jason")).cluster().subset()).isEqualTo("v2");
        assertThat(forward(table, TestRequest.to("reviews").header("end-user", "mary")).cluster().subset()).isEqualTo("v1");
        assertThat(forward(table, TestRequest.to("reviews.bookinfo.svc.cluster.local:9080")).cluster().subset()).isEqualTo("v1");
    }

    @Test
    void roundRobinSpreadsEvenly() throws Exception {
        RouteTable table = RouteTableGoldenTests.table("01-default-route-no-virtualservice");
        Map<Integer, Integer> byPort = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            byPort.merge(forward(table, TestRequest.to("reviews")).endpoint().appPort(), 1, Integer::sum);
        }
        assertThat(byPort).containsOnly(Map.entry(19082, 1000), Map.entry(19083, 1000), Map.entry(19084, 1000));
    }

    @Test
    void consistentHashSticksAHeaderValueToOneEndpointAndSpreadsDifferentValues() throws Exception {
        RouteTable table = RouteTableGoldenTests.table("31-consistent-hash-header-default-route");
        Map<String, Integer> endpointOf = new HashMap<>();
        for (int user = 0; user < 200; user++) {
            for (int repeat = 0; repeat < 5; repeat++) {
                int port = forward(table, TestRequest.to("reviews").header("x-user", "user-" + user)).endpoint().appPort();
                Integer first = endpointOf.putIfAbsent("user-" + user, port);
                assertThat(first == null ? port : first).as("user-%d sticks", user).isEqualTo(port);
            }
        }
        assertThat(endpointOf.values().stream().distinct().count()).as("different users spread").isEqualTo(3);
    }

    @Test
    void leastRequestPrefersTheIdleEndpoint() throws Exception {
        RouteTable table = RouteTableGoldenTests.table("18-lb-least-request-and-least-conn");
        Cluster reviews = table.clusters().get("outbound|9080||reviews.bookinfo.svc.cluster.local");
        EndpointPicker picker = new EndpointPicker(random);
        Endpoint busy = reviews.endpoints().get(0);
        for (int i = 0; i < 10; i++) {
            picker.started(busy);
        }
        int toBusy = 0;
        for (int i = 0; i < 300; i++) {
            if (picker.pick(reviews, TestRequest.to("reviews")).equals(busy)) {
                toBusy++;
            }
        }
        // Two random choices: the busy one only when drawn twice (1/9 of the time).
        assertThat(toBusy).isLessThan(60);
    }

    @Test
    void unknownHostsPassThroughUnderAllowAnyAndAreRefusedWith502UnderRegistryOnly() throws Exception {
        assertThat(router.route(RouteTableGoldenTests.table("01-default-route-no-virtualservice"),
                TestRequest.to("api.github.com:443"))).isEqualTo(new OutboundRouter.Passthrough("api.github.com:443"));
        OutboundRouter.Decision refused = router.route(RouteTableGoldenTests.table("27-registry-only"), TestRequest.to("api.github.com"));
        assertThat(refused).isInstanceOfSatisfying(OutboundRouter.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.reason()).contains("api.github.com").contains("REGISTRY_ONLY").contains("ServiceEntry");
        });
    }

    @Test
    void aRequestMatchingNoRouteIs404AndAnUndefinedSubsetIs503WithAHint() throws Exception {
        assertThat(router.route(RouteTableGoldenTests.table("12-redirect"), TestRequest.to("reviews").path("/other")))
                .isInstanceOfSatisfying(OutboundRouter.Refused.class, r -> assertThat(r.status()).isEqualTo(404));
        assertThat(router.route(RouteTableGoldenTests.table("22-unknown-subset-has-no-endpoints"), TestRequest.to("reviews")))
                .isInstanceOfSatisfying(OutboundRouter.Refused.class, r -> {
                    assertThat(r.status()).isEqualTo(503);
                    assertThat(r.reason()).contains("no healthy upstream").contains("subset v9");
                });
    }

    @Test
    void pathMatchesOfEachKindPickTheirRoute() throws Exception {
        RouteTable table = RouteTableGoldenTests.table("06-uri-prefix-exact-regex");
        assertThat(forward(table, TestRequest.to("reviews").path("/health")).cluster().subset()).isEqualTo("v1");
        assertThat(forward(table, TestRequest.to("reviews").path("/api/v2/x")).cluster().subset()).isEqualTo("v2");
        assertThat(forward(table, TestRequest.to("reviews").path("/reviews/42")).cluster().subset()).isEqualTo("v3");
        assertThat(router.route(table, TestRequest.to("reviews").path("/reviews/x"))).isInstanceOf(OutboundRouter.Refused.class);
    }

    @Test
    void wildcardServiceEntriesAndFullNamesAreFound() throws Exception {
        RouteTable table = RouteTableGoldenTests.table("26-external-service-entry-and-wildcard");
        assertThat(forward(table, TestRequest.to("api.example.com:80")).cluster().host()).isEqualTo("*.example.com");
        assertThat(forward(table, TestRequest.to("httpbin.org:80")).endpoint().appPort()).isEqualTo(18080);
        assertThat(router.route(table, TestRequest.to("example.com:80"))).isInstanceOf(OutboundRouter.Passthrough.class);
    }
}
