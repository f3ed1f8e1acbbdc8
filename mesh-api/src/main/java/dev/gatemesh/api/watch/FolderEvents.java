package dev.gatemesh.api.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import dev.gatemesh.api.thread.DaemonThreads;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch service's side of a {@link FolderWatcher}: every directory of the tree registered (a directory created
 * later is registered when its creation is seen), or, while the folder does not exist, its nearest existing ancestor,
 * so that the folder is seen when it appears. Events only say "look again": the watcher reads the whole tree, so
 * an overflow or an event for a directory not yet registered loses nothing.
 */
final class FolderEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FolderEvents.class);

    private final Path folder;
    private final Predicate<Path> excluded;
    private final Runnable changed;
    private final WatchService service;
    private final Map<Path, WatchKey> watched = new ConcurrentHashMap<>();
    private final Thread thread;

    /** @throws IOException when the file system has no watch service */
    FolderEvents(Path folder, Predicate<Path> excluded, Runnable changed, String threadName) throws IOException {
        this.folder = folder;
        this.excluded = excluded;
        this.changed = changed;
        this.service = FileSystems.getDefault().newWatchService();
        this.thread = DaemonThreads.thread(threadName, this::loop);
    }

    void start() {
        refresh();
        thread.start();
    }

    /**
     * Registers what is not registered yet: the folder's tree when it exists, else its nearest existing ancestor.
     * The rescan calls it too, so a directory whose creation event was lost is watched from then on.
     */
    void refresh() {
        if (Files.isDirectory(folder)) {
            registerTree(folder);
            return;
        }
        Path ancestor = folder.getParent();
        while (ancestor != null && !Files.isDirectory(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor != null) {
            register(ancestor);
        }
    }

    private void registerTree(Path start) {
        List<Path> directories;
        try (Stream<Path> walk = Files.walk(start, FileVisitOption.FOLLOW_LINKS)) {
            directories = walk.filter(Files::isDirectory).filter(dir -> !excluded.test(dir)).toList();
        } catch (IOException | RuntimeException e) {
            log.debug("Listing {} to watch it failed ({}); the rescan reads it", start, e.toString());
            directories = Files.isDirectory(start) && !excluded.test(start) ? List.of(start) : List.of();
        }
        directories.forEach(this::register);
    }

    private void register(Path directory) {
        WatchKey existing = watched.get(directory);
        if (existing != null && existing.isValid()) {
            return;
        }
        try {
            watched.put(directory, directory.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE, OVERFLOW));
        } catch (IOException | ClosedWatchServiceException e) {
            log.debug("Cannot watch {} ({}); the rescan reads it", directory, e.toString());
        }
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = service.take();
                Path directory = (Path) key.watchable();
                boolean relevant = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    relevant |= handle(directory, event);
                }
                if (!key.reset()) {
                    watched.remove(directory, key);
                    relevant |= directory.startsWith(folder) || folder.startsWith(directory);
                }
                if (relevant) {
                    changed.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("Stopped watching {} ({}); its changes are seen by the periodic rescan only", folder, e.toString());
        }
    }

    private boolean handle(Path directory, WatchEvent<?> event) {
        if (event.kind() == OVERFLOW || !(event.context() instanceof Path name)) {
            return true;
        }
        Path child = directory.resolve(name);
        if (!directory.startsWith(folder)) {
            // an ancestor of a folder that is not there yet: only the way to the folder matters, and the next step
            // of it is watched at once, so that what is created in it right after is not missed
            if (!folder.startsWith(child)) {
                return false;
            }
            refresh();
            return true;
        }
        if (excluded.test(child)) {
            return false;
        }
        if (event.kind() == ENTRY_CREATE && Files.isDirectory(child)) {
            registerTree(child);
        }
        return true;
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            log.debug("Closing the watch service of {}", folder, e);
        }
        thread.interrupt();
    }
}
