package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.credentials.TlsCredential;
import dev.gatemesh.proxy.credentials.CredentialSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The credentials in force for a {@link CredentialSource}: an immutable map swapped whole, in which a read that
 * fails validation never replaces the last good version. Rejections are kept (for status and tests) and logged
 * once per distinct set of problems, so a periodic rescan does not repeat them.
 */
public final class LastGoodCredentials {

    private static final Logger log = LoggerFactory.getLogger(LastGoodCredentials.class);

    /**
     * One read of one credential.
     *
     * @param name      the credential's name
     * @param candidate what was read (null when nothing usable could be assembled)
     * @param problems  why it cannot be used; empty when it can
     */
    public record Read(String name, TlsCredential candidate, List<String> problems) {

        public Read {
            problems = List.copyOf(problems);
        }

        public boolean valid() {
            return problems.isEmpty() && candidate != null;
        }
    }

    private final String source;
    private final Level rejectionLevel;
    private final AtomicReference<Map<String, TlsCredential>> current = new AtomicReference<>(Map.of());
    private final Map<String, List<String>> rejected = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** {@code source} names the source in log lines ({@link CredentialSource#describe()}). */
    public LastGoodCredentials(String source, Level rejectionLevel) {
        this.source = source;
        this.rejectionLevel = rejectionLevel;
    }

    public TlsCredential get(String name) {
        return current.get().get(name);
    }

    /** The credentials in force, by name. */
    public Map<String, TlsCredential> all() {
        return current.get();
    }

    /** The credentials whose latest read was refused, with every problem (a last good version may be in force). */
    public Map<String, List<String>> rejected() {
        return Map.copyOf(rejected);
    }

    public void onChange(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    /**
     * Applies reads and removals as one change: valid reads are put in force, invalid ones recorded and logged,
     * removed names dropped. Listeners are told once when what is in force changed.
     */
    public synchronized void apply(Collection<Read> reads, Collection<String> removed) {
        Map<String, TlsCredential> next = new TreeMap<>(current.get());
        for (Read read : reads) {
            if (read.valid()) {
                next.put(read.name(), read.candidate());
                if (rejected.remove(read.name()) != null) {
                    log.info("{}: credential {} is valid again ({})", source, read.name(), read.candidate().version());
                }
            } else {
                reject(read, next.get(read.name()));
            }
        }
        for (String name : removed) {
            next.remove(name);
            rejected.remove(name);
        }
        if (!next.equals(current.get())) {
            current.set(Map.copyOf(next));
            for (Runnable listener : listeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    log.error("{}: a credential change listener failed", source, e);
                }
            }
        }
    }

    private void reject(Read read, TlsCredential lastGood) {
        List<String> before = rejected.put(read.name(), read.problems());
        if (read.problems().equals(before)) {
            return;
        }
        String kept = lastGood != null ? "the last good version (" + lastGood.version() + ") stays in force"
                : "there is no valid version to serve";
        log.atLevel(rejectionLevel).log("{}: credential {} rejected, {}: {}", source, read.name(), kept,
                String.join("; ", read.problems()));
    }
}
