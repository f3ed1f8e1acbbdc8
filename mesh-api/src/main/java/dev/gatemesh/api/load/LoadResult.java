package dev.gatemesh.api.load;

import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.problem.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Everything read from a set of files: the resources with their own problems, the problems that
 * belong to no resource (unreadable files, YAML syntax errors, limits), and the files that could not be
 * read whole, whose resources in force a running source keeps rather than drops.
 */
public record LoadResult(List<LoadedResource> resources, List<Problem> fileProblems, Set<String> incompleteFiles) {

    public LoadResult {
        resources = List.copyOf(resources);
        fileProblems = List.copyOf(fileProblems);
        incompleteFiles = Set.copyOf(incompleteFiles);
    }

    public LoadResult(List<LoadedResource> resources, List<Problem> fileProblems) {
        this(resources, fileProblems, Set.of());
    }

    /** Every problem, file-level and per resource, in file order. */
    public List<Problem> problems() {
        List<Problem> all = new ArrayList<>(fileProblems);
        resources.forEach(r -> all.addAll(r.problems()));
        all.sort(Problem.BY_PLACE);
        return all;
    }

    /** The resources without errors: what a running mesh may take. */
    public List<Resource<?>> validResources() {
        return resources.stream().filter(LoadedResource::isValid).<Resource<?>>map(LoadedResource::resource).toList();
    }

    /** Every resource that could be read at all, valid or not: what the analyzer looks across. */
    public List<Resource<?>> allResources() {
        return resources.stream().<Resource<?>>map(LoadedResource::resource).toList();
    }

    public boolean hasErrors() {
        return problems().stream().anyMatch(Problem::isError);
    }
}
