package dev.gatemesh.server.source;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.LoadResult;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.registry.ServiceEntryRegistry;
import dev.gatemesh.api.watch.FolderWatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of YAML, watched recursively ({@link FolderWatcher}): edits, new files and deletions apply live; a burst
 * of changes within the debounce window is read once. Services are ServiceEntries with WorkloadEntries.
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
    private volatile boolean synced;
    private volatile Consumer<SourceState> listener;
    private FolderWatcher watcher;

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
    }

    @Override
    public void start(Consumer<SourceState> stateListener) {
        this.listener = stateListener;
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + folder + ": " + e.getMessage(), e);
        }
        watcher = FolderWatcher.of(folder).excluding(Path.of(SPRING_FOLDER)).debounce(debounce)
                .threadName("gatemesh-file-source").start(this::reload);
    }

    @Override
    public boolean isSynced() {
        return synced;
    }

    @Override
    public String describe() {
        return "file " + folder;
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

    private void reload() {
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
        if (watcher != null) {
            watcher.close();
        }
    }
}
