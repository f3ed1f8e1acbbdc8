package dev.gatemesh.api.analyze;

import static dev.gatemesh.api.problem.FieldPath.field;
import static dev.gatemesh.api.problem.FieldPath.index;

import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.VirtualService;
import java.util.ArrayList;
import java.util.List;

/** The gateways a VirtualService names, resolved to {@code namespace/name} (or {@code mesh}). */
record GatewayRefs(String path, String written, String resolved) {

    static final String MESH = "mesh";

    static List<GatewayRefs> of(Resource<VirtualService> vs) {
        List<GatewayRefs> out = new ArrayList<>();
        add(out, "spec.gateways", vs.spec().gateways(), vs.namespace());
        for (int i = 0; i < vs.spec().http().size(); i++) {
            var matches = vs.spec().http().get(i).match();
            for (int m = 0; m < matches.size(); m++) {
                add(out, field(index(field(index("spec.http", i), "match"), m), "gateways"), matches.get(m).gateways(),
                        vs.namespace());
            }
        }
        return out;
    }

    /** The gateways the VirtualService's hosts are bound to: {@code mesh} when it names none. */
    static List<String> boundGateways(Resource<VirtualService> vs) {
        if (vs.spec().gateways().isEmpty()) {
            return List.of(MESH);
        }
        return vs.spec().gateways().stream().map(g -> resolve(g, vs.namespace())).distinct().toList();
    }

    static String resolve(String gateway, String namespace) {
        if (gateway.equals(MESH) || gateway.contains("/")) {
            return gateway;
        }
        return namespace + "/" + gateway;
    }

    private static void add(List<GatewayRefs> out, String path, List<String> gateways, String namespace) {
        for (int i = 0; i < gateways.size(); i++) {
            out.add(new GatewayRefs(index(path, i), gateways.get(i), resolve(gateways.get(i), namespace)));
        }
    }
}
