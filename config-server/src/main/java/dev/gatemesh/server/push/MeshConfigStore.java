package dev.gatemesh.server.push;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.snapshot.MeshConfig;
import dev.gatemesh.server.source.SourceState;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/** The configuration in force: replaced whole on every source change, and handed to the push hub. */
public final class MeshConfigStore {

    private final LoadOptions options;
    private final AtomicReference<MeshConfig> current;
    private volatile List<Problem> rejected = List.of();
    private volatile BiConsumer<MeshConfig, MeshConfig> listener = (before, after) -> { };

    public MeshConfigStore(LoadOptions options) {
        this.options = options;
        this.current = new AtomicReference<>(MeshConfig.empty(options));
    }

    public void onChange(BiConsumer<MeshConfig, MeshConfig> changeListener) {
        this.listener = changeListener;
    }

    /** Takes a source's new state; called from one source thread at a time. */
    public void accept(SourceState state) {
        MeshConfig next = new MeshConfig(state.resources(), state.registry(), options);
        MeshConfig before = current.getAndSet(next);
        rejected = state.rejected();
        listener.accept(before, next);
    }

    public MeshConfig current() {
        return current.get();
    }

    /** The problems of the input rejected at the latest change (its last good versions stay in force). */
    public List<Problem> rejected() {
        return rejected;
    }
}
