package dev.gatemesh.api.analyze;

import dev.gatemesh.api.problem.ProblemSink;

/** One rule that looks across resources. */
interface AnalyzerCheck {

    void check(MeshIndex index, ProblemSink sink);
}
