package dev.gatemesh.proxy.route;

import java.util.List;

/**
 * A service as the outbound listener sees it: the names it is addressed by, its ports, and its routes
 * in the order they are tried.
 *
 * @param origin the VirtualService that routes it, or null when only the default route applies
 */
public record VirtualHost(String host, List<String> domains, List<Integer> ports, List<Route> routes, String origin) {

    public VirtualHost {
        domains = List.copyOf(domains);
        ports = List.copyOf(ports);
        routes = List.copyOf(routes);
    }

    /** The first route that matches, or null (a request matching no route is answered 404 as by Istio). */
    public Route routeFor(RequestView request) {
        for (Route route : routes) {
            if (route.matches(request)) {
                return route;
            }
        }
        return null;
    }
}
