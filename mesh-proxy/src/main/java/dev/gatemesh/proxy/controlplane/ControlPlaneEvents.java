package dev.gatemesh.proxy.controlplane;

import dev.gatemesh.api.protocol.ControlMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's notices (messages that are not snapshots), handed to whoever in the app cares:
 * the stream client publishes, the app's parts subscribe. Listeners run on the stream's event loop, so
 * they must hand anything slow to their own thread; a listener that throws is logged and skipped.
 */
public final class ControlPlaneEvents {

    private static final Logger log = LoggerFactory.getLogger(ControlPlaneEvents.class);

    private final List<Consumer<ControlMessage.PropertiesChanged>> propertiesListeners = new CopyOnWriteArrayList<>();

    /** Subscribes to {@link ControlMessage.PropertiesChanged}; closing the result unsubscribes. */
    public AutoCloseable onPropertiesChanged(Consumer<ControlMessage.PropertiesChanged> listener) {
        propertiesListeners.add(listener);
        return () -> propertiesListeners.remove(listener);
    }

    public void publish(ControlMessage.PropertiesChanged changed) {
        for (Consumer<ControlMessage.PropertiesChanged> listener : propertiesListeners) {
            try {
                listener.accept(changed);
            } catch (RuntimeException e) {
                log.warn("A listener of properties-changed {} failed: {}", changed.applications(), e.toString());
            }
        }
    }
}
