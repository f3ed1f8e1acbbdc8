package dev.gatemesh.proxy.route;

import java.util.List;

/** What a route does with a request it matched: forward it to weighted destinations, or redirect it. */
public sealed interface RouteAction permits RouteAction.Forward, RouteAction.Redirect {

    /**
     * @param rewriteUri       the path prefix that replaces the matched one (or the whole path when the match was exact
     *                         or not on the path); null to keep the path
     * @param rewriteAuthority the Host to send; null to keep it
     */
    record Forward(List<WeightedCluster> destinations, String rewriteUri, String rewriteAuthority) implements RouteAction {
        public Forward {
            destinations = List.copyOf(destinations);
        }

        public int totalWeight() {
            return destinations.stream().mapToInt(WeightedCluster::weight).sum();
        }
    }

    /** An HTTP redirect: parts left null keep the request's. */
    record Redirect(String uri, String authority, Integer port, String scheme, int status) implements RouteAction {
    }
}
