package dev.gatemesh.api.analyze;

import static dev.gatemesh.api.problem.FieldPath.field;

import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.problem.ProblemCode;
import dev.gatemesh.api.problem.ProblemSink;
import dev.gatemesh.api.problem.ResourceProblems;

/** A destination host must be declared by a ServiceEntry or a Kubernetes Service. */
final class UnknownHostCheck implements AnalyzerCheck {

    @Override
    public void check(MeshIndex index, ProblemSink sink) {
        for (Resource<VirtualService> vs : index.<VirtualService>ofKind(Kind.VIRTUAL_SERVICE)) {
            ResourceProblems problems = new ResourceProblems(vs, sink);
            for (RouteDestinations target : RouteDestinations.of(vs)) {
                String host = index.qualify(target.destination().host(), vs.namespace());
                if (!index.isDeclaredHost(host)) {
                    problems.error(ProblemCode.UNKNOWN_HOST, field(target.path(), "host"), "host " + host
                            + " is not declared by any ServiceEntry or Kubernetes Service");
                }
            }
        }
    }
}
