package dev.gatemesh.api.watch;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.thread.DaemonThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderWatcherTests {

    @TempDir
    Path root;

    private final List<Set<String>> reads = new CopyOnWriteArrayList<>();
    private final List<FolderWatcher> watchers = new ArrayList<>();

    @AfterEach
    void close() {
        watchers.forEach(FolderWatcher::close);
    }

    private FolderWatcher watch(Path folder, FolderWatcher.Builder builder) {
        FolderWatcher watcher = builder.start(() -> reads.add(list(folder)));
        watchers.add(watcher);
        return watcher;
    }

    private FolderWatcher watch(Path folder) {
        return watch(folder, FolderWatcher.of(folder).debounce(Duration.ofMillis(50)).rescanEvery(Duration.ofMinutes(10)));
    }

    /** The files of the tree, relative, as the callback saw them. */
    private static Set<String> list(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Set.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            Set<String> files = new TreeSet<>();
            walk.filter(Files::isRegularFile).forEach(file -> files.add(folder.relativize(file).toString()));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Set<String> latest() {
        return reads.get(reads.size() - 1);
    }

    @Test
    void readsOnceBeforeStartReturns() throws IOException {
        Files.writeString(root.resolve("a.yaml"), "a");
        FolderWatcher watcher = watch(root);
        assertThat(reads).containsExactly(Set.of("a.yaml"));
        assertThat(watcher.folder()).isEqualTo(root.toAbsolutePath().normalize());
    }

    @Test
    void aCreatedAChangedAndADeletedFileAreEachReadAgain() throws IOException {
        watch(root);
        Files.writeString(root.resolve("a.yaml"), "a");
        await().atMost(WAIT).until(() -> latest().equals(Set.of("a.yaml")));

        int before = reads.size();
        Files.writeString(root.resolve("a.yaml"), "changed");
        await().atMost(WAIT).until(() -> reads.size() > before);

        Files.delete(root.resolve("a.yaml"));
        await().atMost(WAIT).until(() -> latest().isEmpty());
    }

    @Test
    void watchesSubfoldersIncludingOnesCreatedLater() throws IOException {
        watch(root);
        Path nested = Files.createDirectories(root.resolve("team").resolve("routes"));
        Files.writeString(nested.resolve("r.yaml"), "r");
        await().atMost(WAIT).until(() -> latest().contains("team/routes/r.yaml"));

        int before = reads.size();
        Files.writeString(nested.resolve("r.yaml"), "changed");
        await().atMost(WAIT).until(() -> reads.size() > before);
        Files.writeString(nested.resolve("s.yaml"), "s");
        await().atMost(WAIT).until(() -> latest().contains("team/routes/s.yaml"));
    }

    @Test
    void doesNotCreateAMissingFolderAndReadsItWhenItAppears() throws IOException {
        Path folder = root.resolve("config").resolve("credentials");
        watch(folder);
        assertThat(folder.getParent()).doesNotExist();
        assertThat(reads).containsExactly(Set.of());

        Path staging = Files.createDirectories(root.resolve(".staging").resolve("web"));
        Files.writeString(staging.resolve("tls.crt"), "crt");
        Files.createDirectories(folder.getParent());
        Files.move(staging.getParent(), folder, StandardCopyOption.ATOMIC_MOVE);
        await().atMost(WAIT).until(() -> latest().equals(Set.of("web/tls.crt")));

        Files.writeString(folder.resolve("web").resolve("tls.key"), "key");
        await().atMost(WAIT).until(() -> latest().equals(Set.of("web/tls.crt", "web/tls.key")));
    }

    @Test
    void aFolderThatIsDeletedAndCreatedAgainIsStillWatched() throws IOException {
        Path folder = Files.createDirectories(root.resolve("config"));
        Files.writeString(folder.resolve("a.yaml"), "a");
        watch(folder);
        Files.delete(folder.resolve("a.yaml"));
        Files.delete(folder);
        await().atMost(WAIT).until(() -> latest().isEmpty());

        Files.createDirectories(folder);
        Files.writeString(folder.resolve("b.yaml"), "b");
        await().atMost(WAIT).until(() -> latest().equals(Set.of("b.yaml")));
    }

    @Test
    void aBurstOfChangesIsReadOnce() throws IOException {
        watch(root, FolderWatcher.of(root).debounce(Duration.ofMillis(700)).rescanEvery(Duration.ofMinutes(10)));
        for (int i = 0; i < 5; i++) {
            Files.writeString(root.resolve("file-" + i + ".yaml"), "x");
        }
        await().atMost(WAIT).until(() -> reads.size() == 2);
        assertThat(latest()).hasSize(5);
        await().during(Duration.ofMillis(1000)).atMost(WAIT).until(() -> reads.size() == 2);
    }

    @Test
    void theRescanCatchesAChangeTheWatchServiceMissedAndOnlyThen() throws IOException {
        FolderWatcher watcher = watch(root, FolderWatcher.of(root).watchService(false).rescanEvery(Duration.ofMinutes(10)));
        assertThat(watcher.rescanNow()).isFalse();

        Files.writeString(root.resolve("missed.yaml"), "m");
        assertThat(watcher.rescanNow()).isTrue();
        assertThat(reads).containsExactly(Set.of(), Set.of("missed.yaml"));
        assertThat(watcher.rescanNow()).isFalse();

        Files.writeString(root.resolve("missed.yaml"), "a longer text");
        assertThat(watcher.rescanNow()).isTrue();
        Files.delete(root.resolve("missed.yaml"));
        assertThat(watcher.rescanNow()).isTrue();
        assertThat(latest()).isEmpty();
        assertThat(reads).hasSize(4);
    }

    @Test
    void thePeriodicRescanReadsWhatNoEventReported() throws IOException {
        watch(root, FolderWatcher.of(root).watchService(false).rescanEvery(Duration.ofMillis(100)));
        Files.createDirectories(root.resolve("web"));
        Files.writeString(root.resolve("web").resolve("tls.crt"), "crt");
        await().atMost(WAIT).until(() -> latest().equals(Set.of("web/tls.crt")));
    }

    @Test
    void changesInAnExcludedSubtreeAreNotReadButTheRestIs() throws IOException {
        Path spring = Files.createDirectories(root.resolve("spring"));
        FolderWatcher watcher = watch(root, FolderWatcher.of(root).excluding(Path.of("spring"))
                .debounce(Duration.ofMillis(50)).rescanEvery(Duration.ofMinutes(10)));
        Files.writeString(spring.resolve("application.yml"), "a: 1");
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> reads.size() == 1);
        assertThat(watcher.rescanNow()).isFalse();

        Files.writeString(root.resolve("mesh.yaml"), "m");
        await().atMost(WAIT).until(() -> latest().contains("mesh.yaml"));
    }

    @Test
    void aFailingReadIsReportedAndTheNextChangeIsReadAgain() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        FolderWatcher watcher = FolderWatcher.of(root).debounce(Duration.ofMillis(50)).start(() -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("unreadable");
            }
        });
        watchers.add(watcher);
        Files.writeString(root.resolve("a.yaml"), "a");
        await().atMost(WAIT).until(() -> calls.get() >= 2);
        int afterTheFailure = calls.get();
        Files.writeString(root.resolve("b.yaml"), "b");
        await().atMost(WAIT).until(() -> calls.get() > afterTheFailure);
    }

    @Test
    void whatTheFirstReadThrowsIsThrownByStart() {
        assertThatIllegalStateException().isThrownBy(() -> FolderWatcher.of(root).start(() -> {
            throw new IllegalStateException("first read failed");
        })).withMessage("first read failed");
    }

    @Test
    void closingStopsTheReadsAndLeavesTheCallersSchedulerRunning() throws IOException {
        ScheduledExecutorService scheduler = DaemonThreads.scheduler("test-watch");
        try {
            FolderWatcher watcher = watch(root, FolderWatcher.of(root).onScheduler(scheduler).debounce(Duration.ofMillis(50)));
            Files.writeString(root.resolve("a.yaml"), "a");
            await().atMost(WAIT).until(() -> latest().contains("a.yaml"));
            watcher.close();
            int beforeClosing = reads.size();
            Files.writeString(root.resolve("b.yaml"), "b");
            await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> reads.size() == beforeClosing);
            assertThat(scheduler.isShutdown()).isFalse();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void rejectsANegativeDebounceAndAZeroRescanNamingTheFolder() {
        assertThatIllegalArgumentException().isThrownBy(() -> FolderWatcher.of(root).debounce(Duration.ofMillis(-1)))
                .withMessage("the debounce of the watch of " + root.toAbsolutePath().normalize()
                        + " must be zero or more (got PT-0.001S)");
        assertThatIllegalArgumentException().isThrownBy(() -> FolderWatcher.of(root).rescanEvery(Duration.ZERO))
                .withMessageContaining("rescan interval").withMessageContaining("must be more than zero (got PT0S)");
    }
}
