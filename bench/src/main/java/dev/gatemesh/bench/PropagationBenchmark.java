package dev.gatemesh.bench;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.model.IstioDuration;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.registry.ServiceEntryRegistry;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.api.snapshot.ProxySnapshot;
import dev.gatemesh.ca.CertificateAuthority;
import dev.gatemesh.proxy.controlplane.Backoff;
import dev.gatemesh.proxy.controlplane.ControlPlaneClient;
import dev.gatemesh.proxy.controlplane.ControlPlaneClientSettings;
import dev.gatemesh.server.push.MeshConfigStore;
import dev.gatemesh.server.push.ProxyHub;
import dev.gatemesh.server.push.SyncState;
import dev.gatemesh.server.source.SourceState;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Propagation: time from a change in the source to the ACK from every one of N connected proxies,
 * as the config server records it (real WebSocket streams with mutual TLS on loopback). Rows, in the same run: an
 * edit of a YAML file in the watched folder (the whole pipeline, with the default debounce); the same
 * change handed straight to the store (push only: the baseline that shows what the file watch and
 * re-read add); and, for reference, full clients that decode and validate every snapshot before
 * applying it, all N of them sharing the machine's 2 cores with the server.
 *
 * <p>Run: {@code ./mvnw -q -B install -DskipTests && ./mvnw -q -B -pl bench exec:java
 * -Dexec.mainClass=dev.gatemesh.bench.PropagationBenchmark [-Dexec.args="1 10 50 200"]}
 */
public final class PropagationBenchmark {

    private static final String TOKEN = "bench-token";
    private static final int WARMUP = 30;
    private static final int ITERATIONS = 100;
    private static final String[] APPS = {"productpage", "details", "reviews", "ratings"};

    private final Path folder;
    private final Path routes;
    private final ConfigurableApplicationContext server;
    private final int port;
    private final BenchIdentities identities;
    private int counter = 2001; // never equal to the examples' 2s, so every change is a real one

    /** One simulated proxy: a real client, remembering when it applied which reviews timeout. */
    private static final class Proxy {
        final ControlPlaneClient client;
        volatile String timeout = "";
        volatile long appliedAt;

        Proxy(PropagationBenchmark bench, String id, String app) {
            ProxyNode node = new ProxyNode(id, ProxyRole.SIDECAR, "bookinfo", "bookinfo-" + app,
                    Map.of("app", app, "version", "v1"));
            var settings = new ControlPlaneClientSettings(URI.create("wss://127.0.0.1:" + bench.port + "/v1/stream"),
                    node, LoadOptions.DEFAULTS, new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1),
                    new SplittableRandom(id.hashCode())), 16 << 20);
            client = new ControlPlaneClient(settings, bench.identities.of(node), this::apply);
            client.start();
        }

        private void apply(ProxySnapshot snapshot) {
            long now = System.nanoTime();
            timeout = reviewsTimeout(snapshot.resources());
            appliedAt = now;
        }
    }

    private PropagationBenchmark(Path folder, Path home) throws IOException {
        this.folder = folder;
        this.routes = folder.resolve("routes.yaml");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = BenchConfigServer.start(port, folder, home, TOKEN);
        identities = new BenchIdentities(server.getBean(CertificateAuthority.class));
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {1, 10, 50, 200} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        Path folder = Files.createTempDirectory("gatemesh-bench-mesh");
        Path examples = Path.of("").toAbsolutePath().resolve("examples/bookinfo");
        if (!Files.isDirectory(examples)) {
            examples = Path.of("").toAbsolutePath().getParent().resolve("examples/bookinfo");
        }
        try (Stream<Path> files = Files.list(examples)) {
            for (Path file : files.toList()) {
                Files.copy(file, folder.resolve(file.getFileName()));
            }
        }
        PropagationBenchmark bench = new PropagationBenchmark(folder, Files.createTempDirectory("gatemesh-bench-home"));
        System.out.printf("Propagation, %d iterations after %d warm-up, %d cores, %s%n", ITERATIONS, WARMUP,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        System.out.println("| proxies | path | p50 ms | p90 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|");
        for (int size : sizes) {
            List<LightProxy> light = bench.connectLight(size);
            Stats file = bench.measureAcks(size, bench::editFile);
            System.out.printf("| %d | file edit -> ACK from all (simulated proxies) | %s |%n", size, file.row());
            Stats push = bench.measureAcks(size, bench::pushToStore);
            System.out.printf("| %d | store -> ACK from all (baseline: push only, simulated proxies) | %s |%n", size,
                    push.row());
            light.forEach(LightProxy::close);
            bench.await(() -> bench.server.getBean(ProxyHub.class).statuses().isEmpty());

            List<Proxy> full = bench.connect(size);
            Stats decoded = bench.measure(full, bench::editFile);
            System.out.printf("| %d | file edit -> applied by all (full clients: decode and validate, all on these 2 cores) | %s |%n",
                    size, decoded.row());
            full.forEach(p -> p.client.close());
            bench.await(() -> bench.server.getBean(ProxyHub.class).statuses().isEmpty());
        }
        bench.server.close();
        System.exit(0);
    }

    private List<Proxy> connect(int size) {
        List<Proxy> proxies = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            proxies.add(new Proxy(this, "proxy-" + size + "-" + i, APPS[i % APPS.length]));
        }
        await(() -> synced(size));
        return proxies;
    }

    private List<LightProxy> connectLight(int size) {
        List<LightProxy> proxies = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String app = APPS[i % APPS.length];
            ProxyNode node = new ProxyNode("light-" + size + "-" + i, ProxyRole.SIDECAR, "bookinfo", "bookinfo-" + app,
                    Map.of("app", app, "version", "v1"));
            proxies.add(new LightProxy("wss://127.0.0.1:" + port + "/v1/stream", identities.streamTls(node), node));
        }
        await(() -> synced(size));
        return proxies;
    }

    /** Time from the change to the server holding an ACK of a new version from every proxy. */
    private Stats measureAcks(int size, Change change) throws Exception {
        ProxyHub hub = server.getBean(ProxyHub.class);
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < WARMUP + ITERATIONS; i++) {
            Map<String, String> before = new java.util.HashMap<>();
            hub.statuses().forEach(s -> before.put(s.node().id(), s.ackedVersion()));
            long start = change.apply((counter++) + "ms");
            await(() -> {
                var statuses = hub.statuses();
                return statuses.size() == size && statuses.stream().allMatch(s -> s.state() == SyncState.SYNCED
                        && !s.ackedVersion().equals(before.get(s.node().id())));
            });
            long end = System.nanoTime();
            if (i >= WARMUP) {
                samples.add((end - start) / 1e6);
            }
        }
        return Stats.of(samples);
    }

    private boolean synced(int size) {
        var statuses = server.getBean(ProxyHub.class).statuses();
        return statuses.size() == size && statuses.stream().allMatch(s -> s.state() == SyncState.SYNCED);
    }

    /** Makes the change and returns System.nanoTime() at the moment it was handed over. */
    private interface Change {
        long apply(String timeout) throws Exception;
    }

    private Stats measure(List<Proxy> proxies, Change change) throws Exception {
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < WARMUP + ITERATIONS; i++) {
            String written = (counter++) + "ms";
            String timeout = IstioDuration.parse(written).text();
            long start = change.apply(written);
            await(() -> proxies.stream().allMatch(p -> p.timeout.equals(timeout)));
            long last = proxies.stream().mapToLong(p -> p.appliedAt).max().orElseThrow();
            await(() -> synced(proxies.size()));
            if (i >= WARMUP) {
                samples.add((last - start) / 1e6);
            }
        }
        return Stats.of(samples);
    }

    private long editFile(String timeout) throws IOException {
        String text = Files.readString(routes).replaceAll("timeout: \\S+\n    retries", "timeout: " + timeout + "\n    retries");
        Path temporary = folder.resolve(".routes.yaml.tmp");
        Files.writeString(temporary, text);
        long start = System.nanoTime();
        Files.move(temporary, routes, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return start;
    }

    private long pushToStore(String timeout) throws IOException {
        String text = Files.readString(routes).replaceAll("timeout: \\S+\n    retries", "timeout: " + timeout + "\n    retries");
        Path staged = Files.createTempDirectory("gatemesh-bench-stage");
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                Files.copy(file, staged.resolve(file.getFileName()));
            }
        }
        Files.writeString(staged.resolve("routes.yaml"), text);
        var resources = new ManifestLoader(LoadOptions.DEFAULTS).loadPaths(List.of(staged)).validResources();
        var state = new SourceState(resources, ServiceEntryRegistry.build(resources, LoadOptions.DEFAULTS), List.of());
        long start = System.nanoTime();
        server.getBean(MeshConfigStore.class).accept(state);
        return start;
    }

    private void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for the proxies");
            }
            LockSupport.parkNanos(50_000);
        }
    }

    static String reviewsTimeout(List<Resource<?>> resources) {
        for (Resource<?> resource : resources) {
            if (resource.kind() == Kind.VIRTUAL_SERVICE && resource.name().equals("reviews")) {
                var timeout = resource.as(VirtualService.class).spec().http().get(1).timeout();
                return timeout == null ? "" : timeout.text();
            }
        }
        return "";
    }
}
