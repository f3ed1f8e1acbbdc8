package dev.gatemesh.api.analyze;

import dev.gatemesh.api.model.AuthorizationPolicy;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.PeerAuthentication;
import dev.gatemesh.api.model.RequestAuthentication;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.WorkloadSelector;
import dev.gatemesh.api.problem.ProblemCode;
import dev.gatemesh.api.problem.ProblemSink;
import dev.gatemesh.api.problem.ResourceProblems;
import java.util.List;

/** A policy whose selector matches no known workload protects nothing: most often a typo in a label. */
final class SelectorMatchesNothingCheck implements AnalyzerCheck {

    @Override
    public void check(MeshIndex index, ProblemSink sink) {
        for (Resource<AuthorizationPolicy> r : index.<AuthorizationPolicy>ofKind(Kind.AUTHORIZATION_POLICY)) {
            check(index, sink, r, r.spec().selector());
        }
        for (Resource<PeerAuthentication> r : index.<PeerAuthentication>ofKind(Kind.PEER_AUTHENTICATION)) {
            check(index, sink, r, r.spec().selector());
        }
        for (Resource<RequestAuthentication> r : index.<RequestAuthentication>ofKind(Kind.REQUEST_AUTHENTICATION)) {
            check(index, sink, r, r.spec().selector());
        }
    }

    private static void check(MeshIndex index, ProblemSink sink, Resource<?> policy, WorkloadSelector selector) {
        if (selector == null || selector.matchLabels().isEmpty()) {
            return;
        }
        List<MeshIndex.Workload> candidates = index.workloadsInScopeOf(policy.namespace());
        if (candidates.stream().noneMatch(w -> selector.matches(w.labels()))) {
            String scope = policy.namespace().equals(index.options().rootNamespace())
                    ? "any namespace" : "namespace " + policy.namespace();
            new ResourceProblems(policy, sink).warn(ProblemCode.SELECTOR_MATCHES_NOTHING, "spec.selector.matchLabels",
                    "the selector " + selector.matchLabels() + " matches no known workload in " + scope
                            + "; the policy applies to nothing");
        }
    }
}
