package dev.gatemesh.api.analyze;

import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.problem.ProblemCode;
import dev.gatemesh.api.problem.ProblemSink;
import dev.gatemesh.api.problem.ResourceProblems;

/** A VirtualService may only bind to Gateways that exist ({@code mesh} always does). */
final class UnknownGatewayCheck implements AnalyzerCheck {

    @Override
    public void check(MeshIndex index, ProblemSink sink) {
        for (Resource<VirtualService> vs : index.<VirtualService>ofKind(Kind.VIRTUAL_SERVICE)) {
            ResourceProblems problems = new ResourceProblems(vs, sink);
            for (GatewayRefs ref : GatewayRefs.of(vs)) {
                if (!ref.resolved().equals(GatewayRefs.MESH) && !index.hasGateway(ref.resolved())) {
                    problems.error(ProblemCode.UNKNOWN_GATEWAY, ref.path(), "gateway \"" + ref.written()
                            + "\" does not exist (looked for Gateway " + ref.resolved() + ")");
                }
            }
        }
    }
}
