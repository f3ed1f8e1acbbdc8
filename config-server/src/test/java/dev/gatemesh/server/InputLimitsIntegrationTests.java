package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.server.push.MeshConfigStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local mode under hostile input: a config server on a real folder with real sidecars serving traffic, while a
 * document nested 1,500 deep, a 60 MiB value and a file of 300,000 resources are dropped into the folder. Each is
 * rejected within 5 s with a message naming the file, the limit and the value (on the store, in health); a valid
 * edit of another file made meanwhile applies within 1 s; requests keep succeeding with the last good config; and
 * the heap in use after a full GC grows by less than 10% (measured in this JVM, which runs the server and the
 * sidecars: the big files are never read, so what stays is noise, well under the bound).
 */
class InputLimitsIntegrationTests {

    private static final Duration REJECTED_WITHIN = Duration.ofSeconds(5);
    private static final Duration APPLIED_WITHIN = Duration.ofSeconds(1);
    private static final String ROUTES = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: reviews
              namespace: bookinfo
            spec:
              hosts:
              - reviews
              http:
              - route:
                - destination:
                    host: reviews
                timeout: %s
            """;

    @TempDir
    Path folder;
    @TempDir
    Path home;
    @TempDir
    Path scratch;
    private LocalMesh mesh;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger served = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private Thread traffic;

    @BeforeEach
    void start() throws Exception {
        mesh = new LocalMesh(folder, home).workload("productpage-v1", "productpage", "v1")
                .workload("reviews-v1", "reviews", "v1");
        mesh.writeConfig(ROUTES.formatted("2s")).startServer().startApps();
        for (String name : mesh.workloads.keySet()) {
            mesh.startSidecar(name, RouteTable.OutboundPolicy.ALLOW_ANY);
        }
        await().atMost(WAIT).until(() -> mesh.workloads.keySet().stream().allMatch(n -> mesh.sidecar(n).isReady()));
        traffic = new Thread(() -> {
            while (running.get()) {
                LocalMesh.Reply reply = mesh.call("productpage-v1", "reviews", "/reviews/1", Map.of());
                served.incrementAndGet();
                if (reply.status() != 200 || !reply.body().equals("reviews-v1")) {
                    failures.add(reply.status() + " " + reply.body());
                }
            }
        }, "limits-test-traffic");
        traffic.start();
        await().atMost(WAIT).until(() -> served.get() > 50);
    }

    @AfterEach
    void stop() throws InterruptedException {
        running.set(false);
        if (traffic != null) {
            traffic.join();
        }
        mesh.close();
    }

    private MeshConfigStore store() {
        return mesh.server.context().getBean(MeshConfigStore.class);
    }

    private String reviewsTimeout() {
        return store().current().resources().stream().filter(r -> r.kind() == Kind.VIRTUAL_SERVICE)
                .filter(r -> r.name().equals("reviews")).findFirst()
                .map(r -> r.as(VirtualService.class).spec().http().get(0).timeout().text()).orElse("none");
    }

    private static long heapUsedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Writes a file as a stream (the big ones are never held in memory), then moves it into the folder. */
    private void drop(String name, Consumer<BufferedWriter> content) throws IOException {
        Path aside = scratch.resolve(name);
        try (BufferedWriter out = Files.newBufferedWriter(aside)) {
            content.accept(out);
        }
        Files.move(aside, folder.resolve(name));
    }

    private static void write(BufferedWriter out, String text) {
        try {
            out.write(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Drops the bad file, edits the routes meanwhile, and checks: rejected within 5 s with the message, the edit in
     * force within 1 s, the bad file listed in health.
     */
    private void rejectsWhileAnEditApplies(String name, Consumer<BufferedWriter> content, String expected, String timeout)
            throws Exception {
        drop(name, content);
        MeshFolder.write(folder.resolve("policy.yaml"), ROUTES.formatted(timeout));
        long edited = System.nanoTime();
        await().atMost(APPLIED_WITHIN).until(() -> reviewsTimeout().equals(timeout));
        assertThat(Duration.ofNanos(System.nanoTime() - edited)).isLessThan(APPLIED_WITHIN);
        await().atMost(REJECTED_WITHIN).untilAsserted(() -> assertThat(store().rejected()).map(Problem::toLine)
                .anySatisfy(line -> assertThat(line).contains(folder.resolve(name).toString()).contains(expected)));
        String health = mesh.server.get("/actuator/health").body();
        assertThat(health).contains("\"status\":\"UP\"").contains("rejectedFiles").contains(name).contains(expected);
        assertThat(health).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void hostileFilesAreRejectedQuicklyWhileEditsApplyAndTrafficContinuesWithinTheMemoryBound() throws Exception {
        long before = heapUsedAfterGc();

        rejectsWhileAnEditApplies("deep.yaml", out -> {
            write(out, "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: deep, namespace: bookinfo}\n"
                    + "spec:\n  hosts: ");
            write(out, "[".repeat(1500) + "]".repeat(1500) + "\n");
        }, "the nesting has 65 or more levels; the limit (max-depth) is 64 levels", "3s");

        rejectsWhileAnEditApplies("scalar.yaml", out -> {
            write(out, "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: big, namespace: bookinfo}\n"
                    + "spec:\n  hosts: [\"");
            String chunk = "x".repeat(1 << 16);
            for (int i = 0; i < (60 << 20) / chunk.length(); i++) {
                write(out, chunk);
            }
            write(out, "\"]\n");
        }, "the limit (max-file-size) is 8388608 bytes", "4s");

        rejectsWhileAnEditApplies("many.yaml", out -> {
            for (int i = 0; i < 300_000; i++) {
                write(out, "---\n{apiVersion: networking.istio.io/v1, kind: DestinationRule, metadata: {name: d" + i
                        + ", namespace: bookinfo}, spec: {host: d" + i + "}}\n");
            }
        }, "the limit (max-file-size) is 8388608 bytes", "5s");

        int servedBefore = served.get();
        await().atMost(WAIT).until(() -> served.get() > servedBefore + 50);
        assertThat(failures).isEmpty();
        long after = heapUsedAfterGc();
        assertThat((double) after).as("heap used after GC: %d bytes before, %d after", before, after)
                .isLessThan(before * 1.10);
    }

    @Test
    void aFileOverThePerFileResourceLimitKeepsItsLastGoodVersion() throws Exception {
        drop("rules.yaml", out -> write(out, """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: bookinfo}
                spec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}]}
                """));
        await().atMost(WAIT).until(() -> store().current().resources().stream().anyMatch(r -> r.kind() == Kind.DESTINATION_RULE));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 10_001; i++) {
            many.append("---\n{apiVersion: networking.istio.io/v1, kind: DestinationRule, metadata: {name: d").append(i)
                    .append(", namespace: bookinfo}, spec: {host: d").append(i).append("}}\n");
        }
        MeshFolder.write(folder.resolve("rules.yaml"), many.toString());
        await().atMost(REJECTED_WITHIN).untilAsserted(() -> assertThat(store().rejected()).map(Problem::toLine)
                .anySatisfy(line -> assertThat(line).contains("rules.yaml")
                        .contains("the file has 10001 or more resources; the limit (max-resources-per-file) is 10000")));
        assertThat(store().current().resources().stream().filter(r -> r.kind() == Kind.DESTINATION_RULE))
                .singleElement().satisfies(r -> assertThat(r.name()).isEqualTo("reviews"));
        assertThat(failures).isEmpty();
    }
}
