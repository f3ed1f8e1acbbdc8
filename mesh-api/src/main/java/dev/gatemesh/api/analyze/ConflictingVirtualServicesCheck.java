package dev.gatemesh.api.analyze;

import static dev.gatemesh.api.problem.FieldPath.index;

import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.problem.ProblemCode;
import dev.gatemesh.api.problem.ProblemSink;
import dev.gatemesh.api.problem.ResourceProblems;
import java.util.HashMap;
import java.util.Map;

/** One host may be claimed by one VirtualService per gateway; a second claim is an error on the later one. */
final class ConflictingVirtualServicesCheck implements AnalyzerCheck {

    @Override
    public void check(MeshIndex index, ProblemSink sink) {
        Map<String, Resource<VirtualService>> owners = new HashMap<>();
        for (Resource<VirtualService> vs : index.<VirtualService>ofKind(Kind.VIRTUAL_SERVICE)) {
            ResourceProblems problems = new ResourceProblems(vs, sink);
            for (String gateway : GatewayRefs.boundGateways(vs)) {
                for (int i = 0; i < vs.spec().hosts().size(); i++) {
                    String host = index.qualify(vs.spec().hosts().get(i), vs.namespace());
                    Resource<VirtualService> owner = owners.putIfAbsent(gateway + " " + host, vs);
                    if (owner != null && owner != vs) {
                        problems.error(ProblemCode.CONFLICTING_VIRTUAL_SERVICES, index("spec.hosts", i), "host " + host
                                + " on gateway " + gateway + " is already claimed by " + owner.ref() + " ("
                                + owner.origin().file() + ":" + owner.origin().line()
                                + "); merge the routes into one VirtualService");
                    }
                }
            }
        }
    }
}
