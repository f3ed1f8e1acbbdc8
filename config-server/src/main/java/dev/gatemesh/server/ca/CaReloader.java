package dev.gatemesh.server.ca;

import dev.gatemesh.api.thread.DaemonThreads;
import dev.gatemesh.ca.CaMaterial;
import dev.gatemesh.ca.CertificateAuthority;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks up a change of the CA's material without a restart (how a root rotation proceeds: first a
 * bundle with both roots, then signing under the new root, finally the old root dropped) and keeps the
 * trust bundle published (a namespace created later gets its ConfigMap). Material that does not load
 * is reported and never replaces the CA in force.
 */
public final class CaReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CaReloader.class);

    private final CaStore store;
    private final CertificateAuthority ca;
    private final Runnable onChange;
    private final ScheduledExecutorService scheduler;
    private String lastProblem;

    /** @param onChange called after the CA changed (the config server re-issues its own certificate) */
    public CaReloader(CaStore store, CertificateAuthority ca, Duration interval, Runnable onChange) {
        this.store = store;
        this.ca = ca;
        this.onChange = onChange;
        this.scheduler = DaemonThreads.scheduler("gatemesh-ca-reload");
        scheduler.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One look at the store: swap in changed material, and publish the bundle in force. */
    void check() {
        try {
            CaMaterial loaded;
            try {
                loaded = store.loadOrCreate();
            } catch (RuntimeException e) {
                String problem = e.getMessage();
                if (!problem.equals(lastProblem)) {
                    log.error("The CA material in {} cannot be used, so the CA in force stays: {}", store.describe(), problem);
                    lastProblem = problem;
                }
                return;
            }
            lastProblem = null;
            if (!loaded.toPem().equals(ca.material().toPem())) {
                ca.replace(loaded);
                log.info("The CA changed: now signing as {} with {} root(s) trusted", loaded.signingCertificate()
                        .getSubjectX500Principal().getName(), loaded.trustBundle().roots().size());
                onChange.run();
            }
            store.publish(ca.trustBundle());
        } catch (RuntimeException e) {
            log.warn("Publishing the trust bundle failed (will retry): {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
