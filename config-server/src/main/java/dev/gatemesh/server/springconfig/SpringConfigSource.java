package dev.gatemesh.server.springconfig;

import java.util.List;
import java.util.function.Consumer;

/** Where Spring property files come from; reports everything it holds after every (coalesced) change. */
public interface SpringConfigSource extends AutoCloseable {

    /** Reads once (before returning), then watches; the listener gets every new state, one call at a time. */
    void start(Consumer<List<PropertyFileText>> listener);

    String describe();

    @Override
    void close();
}
