package dev.gatemesh.api.analyze;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.problem.ProblemSink;
import java.util.List;

/**
 * Looks across resources for what no single one shows: routes to undefined subsets or undeclared
 * hosts, bindings to missing gateways, hosts claimed twice, conflicting peer authentication, and
 * policies that select nothing. Resources are taken in the order given (load order).
 */
public final class MeshAnalyzer {

    private static final List<AnalyzerCheck> CHECKS = List.of(
            new UndefinedSubsetCheck(),
            new UnknownHostCheck(),
            new UnknownGatewayCheck(),
            new ConflictingVirtualServicesCheck(),
            new ConflictingPeerAuthenticationsCheck(),
            new SelectorMatchesNothingCheck());

    private final LoadOptions options;

    public MeshAnalyzer(LoadOptions options) {
        this.options = options;
    }

    public List<Problem> analyze(List<Resource<?>> resources) {
        MeshIndex index = new MeshIndex(resources, options);
        ProblemSink sink = new ProblemSink();
        CHECKS.forEach(check -> check.check(index, sink));
        return sink.problems();
    }
}
