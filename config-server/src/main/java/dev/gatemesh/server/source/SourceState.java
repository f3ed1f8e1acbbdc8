package dev.gatemesh.server.source;

import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.registry.ServiceRegistry;
import java.util.List;

/**
 * What a source holds at one moment: the resources in force (valid ones, or the last good version
 * of one whose latest edit was rejected), the service registry, and the problems of rejected input.
 */
public record SourceState(List<Resource<?>> resources, ServiceRegistry registry, List<Problem> rejected) {

    public SourceState {
        resources = List.copyOf(resources);
        rejected = List.copyOf(rejected);
    }
}
