package dev.gatemesh.server.admission;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** What the injector made of a pod. */
public sealed interface InjectionDecision {

    /** The pod with its sidecar. */
    record Injected(Pod pod) implements InjectionDecision {
    }

    /** The pod stays as it is, for the reason given (opted out, already injected, namespace not enabled, ...). */
    record Skipped(String reason) implements InjectionDecision {
    }

    /** The pod asks for something that cannot be done (an annotation with an unusable value): each problem, by field. */
    record Refused(List<String> problems) implements InjectionDecision {
        public Refused {
            problems = List.copyOf(problems);
        }
    }
}
