package dev.gatemesh.server.source;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.registry.MeshService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileConfigSourceTests {

    private static final Path EXAMPLES = Path.of("").toAbsolutePath().getParent().resolve("examples").resolve("bookinfo");

    @TempDir
    Path folder;
    private final List<SourceState> states = new CopyOnWriteArrayList<>();
    private FileConfigSource source;

    @BeforeEach
    void start() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path file : files.toList()) {
                Files.copy(file, folder.resolve(file.getFileName()));
            }
        }
        source = new FileConfigSource(folder, LoadOptions.DEFAULTS, Duration.ofMillis(50));
        source.start(states::add);
    }

    @AfterEach
    void stop() {
        source.close();
    }

    private SourceState latest() {
        return states.get(states.size() - 1);
    }

    private Resource<VirtualService> virtualService(String name) {
        return latest().resources().stream().filter(r -> r.kind() == Kind.VIRTUAL_SERVICE && r.name().equals(name))
                .findFirst().orElseThrow().as(VirtualService.class);
    }

    private static void write(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void replace(Path file, String from, String to) throws IOException {
        write(file, Files.readString(file).replace(from, to));
    }

    @Test
    void readsTheFolderBeforeStartReturns() {
        assertThat(source.isSynced()).isTrue();
        assertThat(states).hasSize(1);
        assertThat(latest().resources()).hasSize(23);
        assertThat(latest().registry().services()).extracting(MeshService::host).contains("reviews.bookinfo.svc.cluster.local");
        assertThat(latest().rejected()).isEmpty();
    }

    @Test
    void anEditAppliesLive() throws IOException {
        replace(folder.resolve("routes.yaml"), "timeout: 2s", "timeout: 3s");
        await().atMost(WAIT).until(() -> virtualService("reviews").spec().http().get(1).timeout().text().equals("3s"));
    }

    @Test
    void aNewFileAndADeletedFileApplyLive() throws IOException {
        Files.createDirectories(folder.resolve("more"));
        write(folder.resolve("more").resolve("extra.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: extra, namespace: bookinfo}
                spec: {hosts: [productpage], http: [{route: [{destination: {host: productpage}}]}]}
                """);
        await().atMost(WAIT).until(() -> latest().resources().stream().anyMatch(r -> r.name().equals("extra")));

        Files.delete(folder.resolve("security.yaml"));
        await().atMost(WAIT).until(() -> latest().resources().stream().noneMatch(r -> r.kind() == Kind.AUTHORIZATION_POLICY));
    }

    @Test
    void anInvalidEditKeepsTheLastGoodVersionAndReportsWhy() throws IOException {
        replace(folder.resolve("routes.yaml"), "subset: v1\n    timeout: 2s", "subset: v1\n      weight: 120\n    timeout: 3s");
        await().atMost(WAIT).until(() -> !latest().rejected().isEmpty());
        assertThat(virtualService("reviews").spec().http().get(1).timeout().text()).isEqualTo("2s");
        assertThat(latest().rejected()).singleElement().satisfies(p -> assertThat(p.toLine())
                .contains("routes.yaml").contains("spec.http[1].route[0].weight").contains("got 120"));

        replace(folder.resolve("routes.yaml"), "      weight: 120\n", "");
        await().atMost(WAIT).until(() -> latest().rejected().isEmpty()
                && virtualService("reviews").spec().http().get(1).timeout().text().equals("3s"));
    }

    @Test
    void aFileThatIsNoLongerYamlKeepsAllItsResources() throws IOException {
        int before = latest().resources().size();
        write(folder.resolve("security.yaml"), "apiVersion: [unclosed\n");
        await().atMost(WAIT).until(() -> !latest().rejected().isEmpty());
        assertThat(latest().resources()).hasSize(before);
        assertThat(latest().rejected()).singleElement().satisfies(p -> assertThat(p.toLine()).contains("GM0002"));
    }

    @Test
    void aBurstOfEditsIsReadOnce() throws IOException {
        List<SourceState> burstStates = new CopyOnWriteArrayList<>();
        try (FileConfigSource slow = new FileConfigSource(folder, LoadOptions.DEFAULTS, Duration.ofMillis(500))) {
            slow.start(burstStates::add);
            int before = burstStates.size();
            for (int i = 0; i < 20; i++) {
                Files.writeString(folder.resolve("burst-" + i + ".yaml"), "# nothing yet\n");
            }
            await().atMost(WAIT).until(() -> burstStates.size() > before);
            // 20 files written within one debounce window: one read (two if the last event races the read).
            await().during(Duration.ofMillis(700)).atMost(WAIT).until(() -> burstStates.size() - before <= 2);
        }
    }
}
