package dev.gatemesh.api.analyze;

import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.PeerAuthentication;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.problem.ProblemCode;
import dev.gatemesh.api.problem.ProblemSink;
import dev.gatemesh.api.problem.ResourceProblems;
import java.util.ArrayList;
import java.util.List;

/**
 * At each level (mesh, namespace, workload) at most one PeerAuthentication may apply to a workload;
 * with two, which one wins depends on creation time, which nobody should have to reason about.
 */
final class ConflictingPeerAuthenticationsCheck implements AnalyzerCheck {

    @Override
    public void check(MeshIndex index, ProblemSink sink) {
        List<Resource<PeerAuthentication>> seen = new ArrayList<>();
        for (Resource<PeerAuthentication> pa : index.<PeerAuthentication>ofKind(Kind.PEER_AUTHENTICATION)) {
            for (Resource<PeerAuthentication> earlier : seen) {
                String conflict = conflict(index, earlier, pa);
                if (conflict != null) {
                    new ResourceProblems(pa, sink).error(ProblemCode.CONFLICTING_PEER_AUTHENTICATIONS,
                            hasSelector(pa) ? "spec.selector" : "metadata.name", conflict + " is already set by "
                                    + earlier.ref() + " (" + earlier.origin().file() + ":" + earlier.origin().line()
                                    + "); keep one PeerAuthentication per level");
                    break;
                }
            }
            seen.add(pa);
        }
    }

    private static String conflict(MeshIndex index, Resource<PeerAuthentication> a, Resource<PeerAuthentication> b) {
        if (!a.namespace().equals(b.namespace()) || hasSelector(a) != hasSelector(b)) {
            return null;
        }
        if (!hasSelector(a)) {
            return a.namespace().equals(index.options().rootNamespace())
                    ? "mesh-wide mutual TLS (root namespace " + a.namespace() + ")"
                    : "namespace-wide mutual TLS for " + a.namespace();
        }
        var selectorA = a.spec().selector();
        var selectorB = b.spec().selector();
        if (selectorA.matchLabels().equals(selectorB.matchLabels())) {
            return "mutual TLS for workloads with labels " + selectorA.matchLabels();
        }
        return index.workloadsInScopeOf(a.namespace()).stream()
                .filter(w -> selectorA.matches(w.labels()) && selectorB.matches(w.labels()))
                .findFirst()
                .map(w -> "mutual TLS for the workload with labels " + w.labels())
                .orElse(null);
    }

    private static boolean hasSelector(Resource<PeerAuthentication> pa) {
        return pa.spec().selector() != null && !pa.spec().selector().matchLabels().isEmpty();
    }
}
