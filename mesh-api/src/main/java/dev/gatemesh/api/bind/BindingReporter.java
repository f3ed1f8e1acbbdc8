package dev.gatemesh.api.bind;

import dev.gatemesh.api.problem.ProblemCode;
import dev.gatemesh.api.problem.Severity;

/** Receives what the binder finds wrong, with the field path and line where it was found. */
@FunctionalInterface
public interface BindingReporter {

    void report(Severity severity, ProblemCode code, String path, int line, String message);
}
