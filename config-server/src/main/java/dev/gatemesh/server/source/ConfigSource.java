package dev.gatemesh.server.source;

import java.util.function.Consumer;

/** Where configuration comes from. A source reports its whole state after every (coalesced) change. */
public interface ConfigSource extends AutoCloseable {

    /** Starts watching; the listener gets every new state, from one thread at a time. */
    void start(Consumer<SourceState> listener);

    /** Whether the source has read everything there is (informers synced, folder read). */
    boolean isSynced();

    /** A short description for logs and status: {@code file /path/to/mesh}, {@code kubernetes}. */
    String describe();

    @Override
    void close();
}
