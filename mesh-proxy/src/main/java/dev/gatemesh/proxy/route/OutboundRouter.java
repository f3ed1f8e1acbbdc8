package dev.gatemesh.proxy.route;

import java.util.random.RandomGenerator;

/**
 * Decides what happens to one outbound request: which route of which virtual host, which weighted
 * destination, which endpoint. Pure decisions over an immutable {@link RouteTable}; the proxy carries
 * them out.
 */
public final class OutboundRouter {

    /** The outcome of routing one request. */
    public sealed interface Decision permits Forward, Redirect, Passthrough, Refused {
    }

    /** Send to this endpoint of this cluster. */
    public record Forward(VirtualHost virtualHost, Route route, WeightedCluster destination, Cluster cluster,
                          Endpoint endpoint) implements Decision {
    }

    /** Answer with a redirect. */
    public record Redirect(Route route, RouteAction.Redirect redirect) implements Decision {
    }

    /** Not a mesh host, and the outbound policy is ALLOW_ANY: send it on as addressed. */
    public record Passthrough(String authority) implements Decision {
    }

    /** Answer with this status and a body that says why. */
    public record Refused(int status, String reason) implements Decision {
    }

    private final EndpointPicker picker;
    private final RandomGenerator random;

    public OutboundRouter(EndpointPicker picker, RandomGenerator random) {
        this.picker = picker;
        this.random = random;
    }

    public Decision route(RouteTable table, RequestView request) {
        VirtualHost host = table.lookup(request.authority());
        if (host == null) {
            if (table.outboundPolicy() == RouteTable.OutboundPolicy.REGISTRY_ONLY) {
                return new Refused(502, notDeclared(table, request.authority()));
            }
            return new Passthrough(request.authority());
        }
        Route route = host.routeFor(request);
        if (route == null) {
            return new Refused(404, "no route of " + (host.origin() == null ? host.host() : host.origin())
                    + " matches " + request.method() + " " + request.path());
        }
        if (route.action() instanceof RouteAction.Redirect redirect) {
            return new Redirect(route, redirect);
        }
        RouteAction.Forward forward = (RouteAction.Forward) route.action();
        WeightedCluster destination = choose(forward);
        if (destination == null) {
            return new Refused(503, route.origin() + " has no destination with a positive weight");
        }
        Cluster cluster = destination.clusterFor(request.port());
        if (cluster == null) {
            return new Refused(503, destination.byPort().isEmpty()
                    ? "the destination of " + route.origin() + " is not in the mesh's registry"
                    : "the destination service has no port " + (destination.fixedPort() != null ? destination.fixedPort()
                    : request.port()));
        }
        Endpoint endpoint = picker.pick(cluster, request);
        if (endpoint == null) {
            return new Refused(503, "no healthy upstream: " + cluster.name() + " has no healthy endpoint"
                    + (cluster.subset() != null && cluster.endpoints().isEmpty()
                    ? " (is subset " + cluster.subset() + " defined by a DestinationRule, and does any workload carry its labels?)" : ""));
        }
        return new Forward(host, route, destination, cluster, endpoint);
    }

    /** Why an undeclared host is refused: it names the host, the policy and where the policy comes from. */
    static String notDeclared(RouteTable table, String authority) {
        return "the host " + RouteTable.hostPart(authority) + " is not declared: no ServiceEntry or Service this workload "
                + "may reach names it, and the outbound traffic policy is REGISTRY_ONLY"
                + (table.policySource() == null ? "" : ", from " + table.policySource())
                + "; nothing was sent (declare it with a ServiceEntry, and list it in the Sidecar's egress hosts if it has any)";
    }

    /** A weighted draw; with one destination, no draw at all. */
    private WeightedCluster choose(RouteAction.Forward forward) {
        if (forward.destinations().size() == 1) {
            return forward.destinations().get(0).weight() > 0 || forward.totalWeight() == 0
                    ? forward.destinations().get(0) : null;
        }
        int total = forward.totalWeight();
        if (total <= 0) {
            return null;
        }
        int draw = random.nextInt(total);
        for (WeightedCluster destination : forward.destinations()) {
            draw -= destination.weight();
            if (draw < 0) {
                return destination;
            }
        }
        return null;
    }
}
