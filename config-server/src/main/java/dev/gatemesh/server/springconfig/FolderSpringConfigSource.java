package dev.gatemesh.server.springconfig;

import dev.gatemesh.api.watch.FolderWatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode: the files {@code application.yml}, {@code <application>.yml} and {@code <application>-<profile>.yml}
 * ({@code .yaml} and {@code .properties} too) directly in {@code <config folder>/spring/}, watched
 * ({@link FolderWatcher}); a burst of changes within the debounce window is read once. A Spring folder that is not
 * there is not created in the user's config folder: it is read when it appears.
 */
public final class FolderSpringConfigSource implements SpringConfigSource {

    private static final Logger log = LoggerFactory.getLogger(FolderSpringConfigSource.class);

    private final Path folder;
    private final Duration debounce;
    private volatile Consumer<List<PropertyFileText>> listener;
    private FolderWatcher watcher;

    /** @param folder the Spring folder itself ({@code <config folder>/spring}) */
    public FolderSpringConfigSource(Path folder, Duration debounce) {
        this.folder = folder.toAbsolutePath().normalize();
        this.debounce = debounce;
    }

    @Override
    public void start(Consumer<List<PropertyFileText>> stateListener) {
        this.listener = stateListener;
        watcher = FolderWatcher.of(folder).debounce(debounce).threadName("gatemesh-spring-source").start(this::reload);
    }

    @Override
    public String describe() {
        return "folder " + folder;
    }

    private void reload() {
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
        if (watcher != null) {
            watcher.close();
        }
    }
}
