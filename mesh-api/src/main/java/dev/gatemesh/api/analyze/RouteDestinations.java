package dev.gatemesh.api.analyze;

import static dev.gatemesh.api.problem.FieldPath.field;
import static dev.gatemesh.api.problem.FieldPath.index;

import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.model.VirtualService.Destination;
import dev.gatemesh.api.model.VirtualService.HttpRoute;
import java.util.ArrayList;
import java.util.List;

/** Every destination a VirtualService sends traffic to (routes and mirrors), with its field path. */
record RouteDestinations(String path, Destination destination) {

    static List<RouteDestinations> of(Resource<VirtualService> vs) {
        List<RouteDestinations> out = new ArrayList<>();
        List<HttpRoute> routes = vs.spec().http();
        for (int i = 0; i < routes.size(); i++) {
            String routePath = index("spec.http", i);
            HttpRoute route = routes.get(i);
            for (int d = 0; d < route.route().size(); d++) {
                Destination destination = route.route().get(d).destination();
                if (destination != null && destination.host() != null) {
                    out.add(new RouteDestinations(field(index(field(routePath, "route"), d), "destination"), destination));
                }
            }
            if (route.mirror() != null && route.mirror().host() != null) {
                out.add(new RouteDestinations(field(routePath, "mirror"), route.mirror()));
            }
        }
        return out;
    }
}
