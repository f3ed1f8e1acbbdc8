package dev.gatemesh.server.springconfig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spring properties in force. A source hands over everything it holds after each change; each file
 * is parsed, and a file that no longer parses keeps its last good content in force (its problem is
 * reported, with origin and line). The new state is swapped in whole; listeners hear which base names
 * changed.
 */
public final class SpringPropertiesStore {

    private static final Logger log = LoggerFactory.getLogger(SpringPropertiesStore.class);

    /** Hears which base names changed and the version now served. */
    @FunctionalInterface
    public interface ChangeListener {
        void changed(List<String> baseNames, String version);
    }

    private final PropertyFileReader reader = new PropertyFileReader();
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private Map<String, PropertyFile> lastGood = new LinkedHashMap<>();
    private final Set<String> reported = new HashSet<>();
    private volatile SpringProperties current = SpringProperties.EMPTY;
    private volatile List<InvalidPropertyFile> problems = List.of();

    public SpringProperties current() {
        return current;
    }

    /** The files rejected by the last update (their last good content, if any, stays served). */
    public List<InvalidPropertyFile> problems() {
        return problems;
    }

    public void onChange(ChangeListener listener) {
        listeners.add(listener);
    }

    /** Everything a source holds now. */
    public void accept(List<PropertyFileText> texts) {
        SpringProperties before;
        SpringProperties after;
        synchronized (this) {
            Map<String, PropertyFile> next = new LinkedHashMap<>();
            List<InvalidPropertyFile> rejected = new ArrayList<>();
            for (PropertyFileText text : texts) {
                try {
                    next.put(text.origin(), reader.read(text));
                } catch (InvalidPropertyFile e) {
                    rejected.add(e);
                    PropertyFile previous = lastGood.get(text.origin());
                    if (previous != null && previous.baseName().equals(text.baseName())) {
                        next.put(text.origin(), previous);
                    }
                }
            }
            report(rejected);
            lastGood = next;
            problems = List.copyOf(rejected);
            before = current;
            after = SpringProperties.of(List.copyOf(next.values()));
            current = after;
        }
        List<String> changed = SpringProperties.changedBetween(before, after);
        if (!changed.isEmpty()) {
            log.info("Spring properties changed for {} (version {})", changed, after.version());
            listeners.forEach(listener -> listener.changed(changed, after.version()));
        }
    }

    private void report(List<InvalidPropertyFile> rejected) {
        Set<String> now = new HashSet<>();
        for (InvalidPropertyFile problem : rejected) {
            now.add(problem.getMessage());
            if (!reported.contains(problem.getMessage())) {
                log.warn("Rejected Spring properties, the last good version stays served: {}", problem.getMessage());
            }
        }
        reported.retainAll(now);
        reported.addAll(now);
    }
}
