package dev.gatemesh.api.watch;

import dev.gatemesh.api.thread.DaemonThreads;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder that people and tools edit (the config server's manifests and Spring files, a gateway's credential
 * files), watched so that its users read it again whenever it changes. The callback says only "read the folder
 * again": it runs once before {@link Builder#start} returns, then once per burst of changes (events within the
 * debounce window are one change, so a save that writes several files is read once), and whenever the periodic
 * rescan finds the tree different from the last read, the safety net for what a watch service misses (lost or
 * overflowed events, file systems that do not report). The folder is watched recursively; a folder that does not
 * exist yet is not created, and is read when it appears. Callbacks never overlap.
 */
public final class FolderWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FolderWatcher.class);

    private final Path folder;
    private final Predicate<Path> excluded;
    private final Duration debounce;
    private final Duration rescan;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final String threadName;
    private final boolean events;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final Object reading = new Object();
    private Runnable onChange;
    private volatile TreeFingerprint lastRead = TreeFingerprint.MISSING;
    private volatile FolderEvents watch;
    private volatile ScheduledFuture<?> rescans;
    private volatile boolean closed;

    private FolderWatcher(Builder builder) {
        this.folder = builder.folder;
        List<Path> subtrees = List.copyOf(builder.excluded);
        this.excluded = path -> subtrees.stream().anyMatch(path::startsWith);
        this.debounce = builder.debounce;
        this.rescan = builder.rescan;
        this.ownsScheduler = builder.scheduler == null;
        this.scheduler = ownsScheduler ? DaemonThreads.scheduler(builder.threadName) : builder.scheduler;
        this.threadName = builder.threadName;
        this.events = builder.events;
    }

    /** A watcher of {@code folder} (made absolute), to be configured and started. */
    public static Builder of(Path folder) {
        return new Builder(folder);
    }

    /** The folder watched, absolute and normalized. */
    public Path folder() {
        return folder;
    }

    private void start(Runnable callback) {
        this.onChange = callback;
        if (events) {
            try {
                watch = startEvents();
            } catch (IOException | RuntimeException e) {
                log.warn("Cannot watch {} ({}); its changes are seen by the rescan every {}", folder, e.getMessage(),
                        rescan);
            }
        }
        synchronized (reading) {
            lastRead = TreeFingerprint.of(folder, excluded);
            onChange.run();
        }
        rescans = scheduler.scheduleWithFixedDelay(this::periodicRescan, rescan.toNanos(), rescan.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    private FolderEvents startEvents() throws IOException {
        FolderEvents events = new FolderEvents(folder, excluded, this::changed, threadName + "-events");
        try {
            events.start();
            return events;
        } catch (RuntimeException e) {
            events.close();
            throw e;
        }
    }

    /** Something changed: read once the burst has settled (the events of the debounce window are one read). */
    private void changed() {
        if (closed || !pending.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.schedule(this::read, debounce.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            pending.set(false);
        }
    }

    private void read() {
        pending.set(false);
        synchronized (reading) {
            refreshWatch();
            lastRead = TreeFingerprint.of(folder, excluded);
            callBack();
        }
    }

    /**
     * Compares the tree with the last read and calls back (on this thread) when they differ: what the periodic
     * rescan does, callable directly so that a test need not wait for the period.
     *
     * @return whether the tree had changed
     */
    public boolean rescanNow() {
        synchronized (reading) {
            refreshWatch();
            TreeFingerprint now = TreeFingerprint.of(folder, excluded);
            if (now.equals(lastRead)) {
                return false;
            }
            log.debug("The rescan of {} found a change the watch service did not report", folder);
            lastRead = now;
            callBack();
            return true;
        }
    }

    private void periodicRescan() {
        try {
            rescanNow();
        } catch (RuntimeException e) {
            log.error("Rescanning {} failed ({})", folder, e.toString());
        }
    }

    private void refreshWatch() {
        FolderEvents current = watch;
        if (current != null) {
            current.refresh();
        }
    }

    private void callBack() {
        if (closed) {
            return;
        }
        try {
            onChange.run();
        } catch (RuntimeException e) {
            log.error("Reading {} after a change failed ({}); it is read again at the next change", folder,
                    e.toString());
        }
    }

    /** Stops watching; a scheduler of its own is shut down, a caller's is left running. */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> periodic = rescans;
        if (periodic != null) {
            periodic.cancel(false);
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        FolderEvents current = watch;
        if (current != null) {
            current.close();
        }
    }

    /** How a folder is watched; every setting has a default. */
    public static final class Builder {

        private final Path folder;
        private final List<Path> excluded = new ArrayList<>();
        private Duration debounce = Duration.ofMillis(200);
        private Duration rescan = Duration.ofSeconds(30);
        private ScheduledExecutorService scheduler;
        private String threadName = "gatemesh-folder-watch";
        private boolean events = true;

        private Builder(Path folder) {
            this.folder = Objects.requireNonNull(folder, "folder").toAbsolutePath().normalize();
        }

        /** The folder to watch, absolute and normalized. */
        public Path folder() {
            return folder;
        }

        /** How long a burst of events is left to settle before the folder is read (default 200 ms). */
        public Builder debounce(Duration debounce) {
            if (debounce == null || debounce.isNegative()) {
                throw new IllegalArgumentException("the debounce of the watch of " + folder
                        + " must be zero or more (got " + debounce + ")");
            }
            this.debounce = debounce;
            return this;
        }

        /** How often the tree is compared with the last read, to catch what the watch service missed (default 30 s). */
        public Builder rescanEvery(Duration rescan) {
            if (rescan == null || rescan.isNegative() || rescan.isZero()) {
                throw new IllegalArgumentException("the rescan interval of the watch of " + folder
                        + " must be more than zero (got " + rescan + ")");
            }
            this.rescan = rescan;
            return this;
        }

        /** A subtree left out (relative to the folder, or absolute): its changes call nothing back. */
        public Builder excluding(Path subtree) {
            excluded.add(folder.resolve(subtree).normalize());
            return this;
        }

        /** Runs the reads on the caller's scheduler (left running by {@link #close()}); else on a thread of its own. */
        public Builder onScheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The name of the watcher's threads (its own scheduler; the event thread adds {@code -events}). */
        public Builder threadName(String threadName) {
            this.threadName = Objects.requireNonNull(threadName, "threadName");
            return this;
        }

        /**
         * Whether the file system's watch service is used (default true). Without it the folder is read by the
         * rescan only: for file systems that report nothing, and for tests of the rescan itself.
         */
        public Builder watchService(boolean events) {
            this.events = events;
            return this;
        }

        /**
         * Calls {@code onChange} once now (on this thread, before returning; what it throws is thrown here), then
         * after every change, on the watcher's scheduler. The folder is read again at every call: the callback is
         * told only that something changed.
         */
        public FolderWatcher start(Runnable onChange) {
            Objects.requireNonNull(onChange, "onChange");
            FolderWatcher watcher = new FolderWatcher(this);
            try {
                watcher.start(onChange);
            } catch (RuntimeException | Error e) {
                watcher.close();
                throw e;
            }
            return watcher;
        }
    }
}
