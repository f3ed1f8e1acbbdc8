package dev.gatemesh.server.springconfig;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode: the files {@code application.yml}, {@code <application>.yml} and {@code <application>-<profile>.yml}
 * ({@code .yaml} and {@code .properties} too) directly in {@code <config folder>/spring/}, watched; a burst
 * of changes within the debounce window is read once.
 */
public final class FolderSpringConfigSource implements SpringConfigSource {

    private static final Logger log = LoggerFactory.getLogger(FolderSpringConfigSource.class);

    private final Path folder;
    private final Duration debounce;
    private final AtomicBoolean reloadPending = new AtomicBoolean();
    private final ScheduledExecutorService scheduler;
    private volatile Consumer<List<PropertyFileText>> listener;
    private WatchService watcher;
    private Thread watchThread;

    /** @param folder the Spring folder itself ({@code <config folder>/spring}) */
    private volatile boolean folderWatched;

    public FolderSpringConfigSource(Path folder, Duration debounce) {
        this.folder = folder.toAbsolutePath().normalize();
        this.debounce = debounce;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "gatemesh-spring-source"));
    }

    @Override
    public void start(Consumer<List<PropertyFileText>> stateListener) {
        this.listener = stateListener;
        try {
            watcher = FileSystems.getDefault().newWatchService();
            // A Spring folder that is not there is not created in the user's config folder: the config folder is
            // watched until it appears.
            if (Files.isDirectory(folder) || folder.getParent() == null) {
                folder.register(watcher, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE, OVERFLOW);
                folderWatched = true;
            } else {
                folder.getParent().register(watcher, ENTRY_CREATE, ENTRY_DELETE, OVERFLOW);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + folder + ": " + e.getMessage(), e);
        }
        watchThread = daemon(this::watch, "gatemesh-spring-watch");
        watchThread.start();
        try {
            scheduler.submit(this::reload).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("first read of " + folder + " failed", e.getCause());
        }
    }

    @Override
    public String describe() {
        return "folder " + folder;
    }

    private void watch() {
        try {
            while (true) {
                var key = watcher.take();
                key.pollEvents();
                key.reset();
                if (!folderWatched && Files.isDirectory(folder)) {
                    try {
                        folder.register(watcher, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE, OVERFLOW);
                        folderWatched = true;
                    } catch (java.io.IOException e) {
                        log.warn("Cannot watch {} ({}); its changes are read when the config folder changes", folder,
                                e.getMessage());
                    }
                }
                if (reloadPending.compareAndSet(false, true)) {
                    scheduler.schedule(this::reload, debounce.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    private void reload() {
        reloadPending.set(false);
        try {
            listener.accept(read());
        } catch (RuntimeException e) {
            log.error("Reading {} failed; the Spring properties in force are unchanged: {}", folder, e.toString());
        }
    }

    private List<PropertyFileText> read() {
        List<PropertyFileText> texts = new ArrayList<>();
        List<Path> files;
        if (!Files.isDirectory(folder)) {
            return texts;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            files = entries.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        for (Path file : files) {
            var named = PropertyFileText.parseName(file.getFileName().toString());
            if (named.isEmpty()) {
                continue;
            }
            try {
                texts.add(new PropertyFileText(named.get().baseName(), file.toString(), named.get().format(),
                        Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                log.warn("Cannot read {} ({}); it is left out until it can be read", file, e.toString());
            }
        }
        return texts;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            log.debug("closing the watch service", e);
        }
        if (watchThread != null) {
            watchThread.interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
