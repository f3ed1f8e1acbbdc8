package dev.gatemesh.api.analyze;

import static dev.gatemesh.api.problem.FieldPath.field;

import dev.gatemesh.api.model.DestinationRule;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.problem.ProblemCode;
import dev.gatemesh.api.problem.ProblemSink;
import dev.gatemesh.api.problem.ResourceProblems;

/** A route to a subset must find that subset in a DestinationRule for the destination's host. */
final class UndefinedSubsetCheck implements AnalyzerCheck {

    @Override
    public void check(MeshIndex index, ProblemSink sink) {
        for (Resource<VirtualService> vs : index.<VirtualService>ofKind(Kind.VIRTUAL_SERVICE)) {
            ResourceProblems problems = new ResourceProblems(vs, sink);
            for (RouteDestinations target : RouteDestinations.of(vs)) {
                String subset = target.destination().subset();
                if (subset == null) {
                    continue;
                }
                String host = index.qualify(target.destination().host(), vs.namespace());
                boolean defined = index.destinationRulesFor(host).stream()
                        .flatMap(dr -> dr.spec().subsets().stream())
                        .anyMatch(s -> subset.equals(s.name()));
                if (!defined) {
                    problems.error(ProblemCode.UNDEFINED_SUBSET, field(target.path(), "subset"), "subset \"" + subset
                            + "\" is not defined by any DestinationRule for " + host + describeCandidates(index, host));
                }
            }
        }
    }

    private static String describeCandidates(MeshIndex index, String host) {
        var rules = index.destinationRulesFor(host);
        if (rules.isEmpty()) {
            return "";
        }
        var names = rules.stream().flatMap(dr -> dr.spec().subsets().stream()).map(DestinationRule.Subset::name).toList();
        Resource<DestinationRule> first = rules.get(0);
        return " (" + first.ref() + " defines " + (names.isEmpty() ? "no subsets" : String.join(", ", names)) + ")";
    }
}
