package dev.gatemesh.api.load;

import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.problem.Problem;
import java.util.List;

/** A resource as read at the boundary, with its problems; only a valid one may enter a running mesh. */
public record LoadedResource(Resource<?> resource, List<Problem> problems) {

    public LoadedResource {
        problems = List.copyOf(problems);
    }

    public boolean isValid() {
        return problems.stream().noneMatch(Problem::isError);
    }
}
