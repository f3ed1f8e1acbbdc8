package dev.gatemesh.meshctl.local;

import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.snapshot.MeshConfig;
import dev.gatemesh.server.push.MeshConfigStore;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tells the user, on the console, what happened to each edit of the folder: applied, or rejected with
 * {@code meshctl analyze}-style lines while the last good version stays in force. Polled: the store's
 * own listener belongs to the push.
 */
final class ConfigEvents {

    private final MeshConfigStore store;
    private final Consumer<String> out;
    private final String folderPrefix;
    private MeshConfig seen;
    private List<Problem> seenRejected;

    /** @param folderPrefix the folder's path and a separator: file names are shown relative to it */
    ConfigEvents(MeshConfigStore store, String folderPrefix, Consumer<String> out) {
        this.store = store;
        this.folderPrefix = folderPrefix;
        this.out = out;
        this.seen = store.current();
        this.seenRejected = store.rejected();
    }

    /** Reports what changed since the last call; true when the configuration in force changed. */
    synchronized boolean check() {
        MeshConfig current = store.current();
        List<Problem> rejected = store.rejected();
        if (current == seen && rejected == seenRejected) {
            return false;
        }
        boolean changed = current != seen;
        seen = current;
        if (rejected.equals(seenRejected) && !changed) {
            seenRejected = rejected;
            return false;
        }
        seenRejected = rejected;
        List<Problem> errors = rejected.stream().filter(Problem::isError).toList();
        if (errors.isEmpty()) {
            out.accept("config: change applied (" + current.resources().size() + " resources in force)");
            return changed;
        }
        out.accept("config: " + errors.size() + (errors.size() == 1 ? " resource" : " resources")
                + " rejected; their last good versions stay in force:");
        errors.forEach(problem -> out.accept("  " + problem.toLine().replace(folderPrefix, "")));
        return changed;
    }
}
