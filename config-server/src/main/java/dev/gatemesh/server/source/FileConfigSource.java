package dev.gatemesh.server.source;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.LoadResult;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.registry.ServiceEntryRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of YAML, watched recursively: edits, new files and deletions apply live; a burst of
 * changes within the debounce window is read once. Services are ServiceEntries with WorkloadEntries.
 * The subfolder {@value #SPRING_FOLDER} holds Spring property files, not manifests: it is left to the
 * Spring config source.
 */
public final class FileConfigSource implements ConfigSource {

    private static final Logger log = LoggerFactory.getLogger(FileConfigSource.class);

    /** The subfolder of Spring property files ({@code dev.gatemesh.server.springconfig}), never read as manifests. */
    public static final String SPRING_FOLDER = "spring";

    private final Path folder;
    private final List<Path> extraFiles;
    private final LoadOptions options;
    private final Duration debounce;
    private final ManifestLoader loader;
    private final LastGoodResources lastGood = new LastGoodResources();
    private final FileReadCache reads;
    private Set<Problem> reported = Set.of();
    private final AtomicBoolean reloadPending = new AtomicBoolean();
    private final ScheduledExecutorService scheduler;
    private volatile boolean synced;
    private volatile Consumer<SourceState> listener;
    private WatchService watcher;
    private Thread watchThread;

    public FileConfigSource(Path folder, LoadOptions options, Duration debounce) {
        this(folder, List.of(), options, debounce);
    }

    /** @param extraFiles manifests read with the folder's at every change (local mode's generated gateway entries) */
    public FileConfigSource(Path folder, List<Path> extraFiles, LoadOptions options, Duration debounce) {
        this.folder = folder.toAbsolutePath().normalize();
        this.extraFiles = List.copyOf(extraFiles);
        this.options = options;
        this.debounce = debounce;
        this.loader = new ManifestLoader(options);
        this.reads = new FileReadCache(loader);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "gatemesh-file-source"));
    }

    @Override
    public void start(Consumer<SourceState> stateListener) {
        this.listener = stateListener;
        try {
            Files.createDirectories(folder);
            watcher = FileSystems.getDefault().newWatchService();
            registerTree(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + folder + ": " + e.getMessage(), e);
        }
        watchThread = daemon(this::watch, "gatemesh-file-watch");
        watchThread.start();
        try {
            scheduler.submit(this::reload).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("first read of " + folder + " failed", e.getCause());
        }
    }

    @Override
    public boolean isSynced() {
        return synced;
    }

    @Override
    public String describe() {
        return "file " + folder;
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                Path dir = (Path) key.watchable();
                for (var event : key.pollEvents()) {
                    if (event.kind() == ENTRY_CREATE && event.context() instanceof Path name
                            && Files.isDirectory(dir.resolve(name))) {
                        registerTree(dir.resolve(name));
                    }
                }
                key.reset();
                scheduleReload();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        } catch (IOException e) {
            log.error("Stopped watching {}: {}", folder, e.getMessage());
        }
    }

    private void registerTree(Path start) throws IOException {
        try (Stream<Path> dirs = Files.walk(start)) {
            for (Path dir : dirs.filter(Files::isDirectory).filter(dir -> !isSpringFolder(dir)).toList()) {
                dir.register(watcher, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE, OVERFLOW);
            }
        }
    }

    private boolean isSpringFolder(Path path) {
        return path.startsWith(folder.resolve(SPRING_FOLDER));
    }

    /**
     * The folder itself, or, when it has a Spring subfolder, every manifest file outside it, in the order the
     * loader would walk them (sorted; hidden entries and other extensions skipped, as the loader does).
     */
    private List<Path> manifestPaths() {
        List<Path> paths = new ArrayList<>(manifestPaths(folder));
        paths.addAll(extraFiles);
        return paths;
    }

    /**
     * The paths a folder source loads: the folder itself, or, when it has a Spring subfolder, every manifest
     * file outside it, in the order the loader would walk them (sorted; hidden entries and other extensions
     * skipped, as the loader does).
     */
    public static List<Path> manifestPaths(Path folder) {
        if (!Files.isDirectory(folder.resolve(SPRING_FOLDER))) {
            return List.of(folder);
        }
        Path spring = folder.resolve(SPRING_FOLDER);
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(spring))
                    .filter(p -> !isHidden(folder.relativize(p)))
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
                    })
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(),
                    e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private void scheduleReload() {
        if (reloadPending.compareAndSet(false, true)) {
            scheduler.schedule(this::reload, debounce.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void reload() {
        reloadPending.set(false);
        try {
            List<Problem> listing = new ArrayList<>();
            List<Path> files = loader.manifestFiles(manifestPaths(), listing);
            LoadResult result = loader.combine(reads.read(files), listing);
            LastGoodResources.Merge merge = lastGood.merge(result.resources(), result.fileProblems(),
                    result.incompleteFiles());
            merge.rejected().stream().filter(Problem::isError).filter(this::isNew)
                    .forEach(p -> log.warn("Rejected, the last good version stays in force: {}", p.toLine()));
            reported = Set.copyOf(merge.rejected());
            result.problems().stream().filter(p -> !p.isError()).forEach(p -> log.info("{}", p.toLine()));
            synced = true;
            listener.accept(new SourceState(merge.resources(), ServiceEntryRegistry.build(merge.resources(), options),
                    merge.rejected()));
        } catch (StackOverflowError | RuntimeException e) {
            log.error("Reading {} failed ({}); the configuration in force is unchanged", folder, e.toString());
            log.debug("Reading {} failed", folder, e);
        }
    }

    /** A rejection is logged once, not again at every later edit of another file. */
    private boolean isNew(Problem problem) {
        return !reported.contains(problem);
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
