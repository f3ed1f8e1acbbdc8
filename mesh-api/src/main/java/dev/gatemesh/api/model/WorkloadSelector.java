package dev.gatemesh.api.model;

import java.util.Map;

/** The security kinds' selector: workloads whose labels include all of {@code matchLabels}. */
public record WorkloadSelector(Map<String, String> matchLabels) {

    public WorkloadSelector {
        matchLabels = Immutable.map(matchLabels);
    }

    public boolean matches(Map<String, String> labels) {
        return labels.entrySet().containsAll(matchLabels.entrySet());
    }
}
