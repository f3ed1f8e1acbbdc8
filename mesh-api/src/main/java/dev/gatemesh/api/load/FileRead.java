package dev.gatemesh.api.load;

import dev.gatemesh.api.problem.Problem;
import java.util.List;

/**
 * What one file yielded. A {@code rejected} file (unreadable, not YAML, over a limit, or failing for any other
 * reason) contributes no resources: sources keep its last good version in force instead.
 *
 * @param file      the file as the user named it
 * @param resources its resources, each with its own problems
 * @param problems  problems of the file itself (syntax, limits, duplicate keys, documents that are not resources)
 */
public record FileRead(String file, List<LoadedResource> resources, List<Problem> problems, boolean rejected) {

    public FileRead {
        resources = List.copyOf(resources);
        problems = List.copyOf(problems);
    }

    static FileRead rejected(String file, Problem problem) {
        return new FileRead(file, List.of(), List.of(problem), true);
    }
}
