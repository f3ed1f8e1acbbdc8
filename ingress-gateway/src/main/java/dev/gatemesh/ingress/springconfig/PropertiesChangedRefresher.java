package dev.gatemesh.ingress.springconfig;

import dev.gatemesh.api.protocol.ControlMessage;
import dev.gatemesh.api.thread.DaemonThreads;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.core.env.Environment;

/**
 * Refreshes the app's Spring properties when the config server announces a change to its application's
 * files ({@code <application>}, {@code <application>-<profile>}, {@code application}, {@code application-<profile>}),
 * on its own thread (never the stream's event loop), coalescing a burst into one refresh. A refresh rebinds
 * {@code @ConfigurationProperties} and Spring Cloud Gateway reloads its routes.
 */
public final class PropertiesChangedRefresher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PropertiesChangedRefresher.class);
    static final String SHARED = "application";

    private final ContextRefresher refresher;
    private final Environment environment;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(DaemonThreads.factory("gatemesh-properties-refresh"));
    private final AtomicBoolean pending = new AtomicBoolean();

    public PropertiesChangedRefresher(ContextRefresher refresher, Environment environment) {
        this.refresher = refresher;
        this.environment = environment;
    }

    /** The name the config client asks for: {@code spring.cloud.config.name}, else {@code spring.application.name}. */
    String application() {
        return environment.getProperty("spring.cloud.config.name",
                environment.getProperty("spring.application.name", SHARED));
    }

    public void onChanged(ControlMessage.PropertiesChanged changed) {
        String application = application();
        if (changed.applications().stream().noneMatch(name -> concerns(name, application))) {
            return;
        }
        if (changed.version().equals(environment.getProperty("config.client.version"))) {
            return; // already read (e.g. a POST /actuator/refresh got there first)
        }
        if (pending.compareAndSet(false, true)) {
            executor.execute(() -> refresh(changed));
        }
    }

    private void refresh(ControlMessage.PropertiesChanged changed) {
        pending.set(false);
        try {
            Set<String> keys = refresher.refresh();
            log.info("Spring properties of {} refreshed after a change to {} (version {}): {} key(s) changed", application(),
                    changed.applications(), environment.getProperty("config.client.version"), keys.size());
        } catch (RuntimeException e) {
            log.warn("Refreshing the Spring properties of {} failed; the previous ones stay in force: {}", application(),
                    e.toString());
        }
    }

    /** Whether a changed base name is one the application reads. */
    static boolean concerns(String baseName, String application) {
        return baseName.equals(application) || baseName.startsWith(application + "-")
                || baseName.equals(SHARED) || baseName.startsWith(SHARED + "-");
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
