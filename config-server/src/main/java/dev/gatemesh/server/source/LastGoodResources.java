package dev.gatemesh.server.source;

import dev.gatemesh.api.load.LoadedResource;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.problem.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bad change never takes a working configuration away: a resource whose new version is invalid
 * keeps its last good version in force, and resources of a file that cannot be read at all stay as
 * they were. Only a resource that is really gone (deleted, or removed from a readable file) leaves.
 */
final class LastGoodResources {

    private Map<String, Resource<?>> inForce = new LinkedHashMap<>();

    /** The outcome of one merge: the resources in force and the problems of what was rejected. */
    record Merge(List<Resource<?>> resources, List<Problem> rejected) {
    }

    /**
     * @param read             everything read now, valid or not
     * @param unreadableOrigins files (origins) that could not be read at all this time
     */
    Merge merge(List<LoadedResource> read, List<Problem> fileProblems, Set<String> unreadableOrigins) {
        Map<String, Resource<?>> next = new LinkedHashMap<>();
        List<Problem> rejected = new ArrayList<>(fileProblems);
        for (LoadedResource loaded : read) {
            String key = key(loaded.resource());
            if (loaded.isValid()) {
                next.put(key, loaded.resource());
                continue;
            }
            rejected.addAll(loaded.problems().stream().filter(Problem::isError).toList());
            Resource<?> previous = inForce.get(key);
            if (previous != null && !next.containsKey(key)) {
                next.put(key, previous);
            }
        }
        inForce.forEach((key, previous) -> {
            if (!next.containsKey(key) && unreadableOrigins.contains(previous.origin().file())) {
                next.put(key, previous);
            }
        });
        inForce = next;
        return new Merge(List.copyOf(next.values()), rejected);
    }

    static String key(Resource<?> resource) {
        return resource.kind() + "/" + resource.namespace() + "/" + resource.name();
    }
}
