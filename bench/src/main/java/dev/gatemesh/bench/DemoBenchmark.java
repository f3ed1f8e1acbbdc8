package dev.gatemesh.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code meshctl demo} as a user starts it: wall time from the command to its "ready" line (every proxy
 * SYNCED), its memory while serving traffic, and the time Ctrl-C (SIGTERM here) takes to stop it. The
 * baseline, measured in the same run, is the config server alone from its own jar: what the control
 * plane costs before any proxy, app or gateway is added.
 */
public final class DemoBenchmark {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 3);
        Path work = Files.createTempDirectory("gatemesh-demo-bench");
        List<String> rows = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            rows.add(configServerAlone(work.resolve("server-" + run), run));
            rows.add(demo(work.resolve("demo-" + run), run));
        }
        System.out.println("| run | what | ready s | RSS MiB (peak under traffic) | stop s |");
        System.out.println("|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /** The baseline: the config server's jar on the demo's folder, ready by its readiness probe. */
    private static String configServerAlone(Path home, int run) throws Exception {
        Files.createDirectories(home);
        Path folder = Path.of("").toAbsolutePath().resolve("examples/bookinfo");
        if (!Files.isDirectory(folder)) {
            folder = Path.of("").toAbsolutePath().getParent().resolve("examples/bookinfo");
        }
        long started = System.nanoTime();
        try (BootJvm server = BootJvm.start("config-server", "-Dbench=1", "config-server/target/config-server-exec.jar", 15014,
                List.of("--gatemesh.server.source=file", "--gatemesh.server.file.path=" + folder,
                        "--gatemesh.server.home=" + home), home.resolve("server.log"))) {
            server.awaitReady();
            double ready = (System.nanoTime() - started) / 1e9;
            double rss = Rss.mib(server.handle());
            long stopping = System.nanoTime();
            server.close();
            return String.format("| %d | config server alone (baseline) | %.1f | %.0f | %.1f |", run, ready, rss,
                    (System.nanoTime() - stopping) / 1e9);
        }
    }

    /** The demo: seven proxies, six apps, the config server and the traffic generator, in one JVM. */
    private static String demo(Path home, int run) throws Exception {
        Path jar = find("meshctl/target/meshctl-exec.jar");
        Path log = Files.createDirectories(home).resolve("demo.out");
        long started = System.nanoTime();
        Process demo = new ProcessBuilder(JAVA, "-jar", jar.toString(), "demo", "--home", home.toString(), "--rate", "5",
                "--report-every", "5s").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Await.until(() -> {
            if (!demo.isAlive()) {
                throw new IllegalStateException("meshctl demo exited: " + read(log));
            }
            return read(log).lines().anyMatch(line -> line.startsWith("ready:"));
        }, "meshctl demo is ready");
        double ready = (System.nanoTime() - started) / 1e9;
        double peak;
        try (Rss.Peak sampler = new Rss.Peak(demo.toHandle())) {
            load(Duration.ofSeconds(20));
            peak = sampler.peakMib();
        }
        long stopping = System.nanoTime();
        demo.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook stops everything
        if (!demo.waitFor(60, TimeUnit.SECONDS)) {
            demo.destroyForcibly();
            throw new IllegalStateException("meshctl demo did not stop within 60 s");
        }
        double stop = (System.nanoTime() - stopping) / 1e9;
        if (!read(log).contains("Stopped.")) {
            throw new IllegalStateException("meshctl demo did not stop cleanly: " + read(log));
        }
        return String.format("| %d | meshctl demo (7 proxies, 6 apps, traffic) | %.1f | %.0f | %.1f |", run, ready, peak, stop);
    }

    /** Four callers as fast as they can go through the ingress gateway to the product page, on top of the generator. */
    private static void load(Duration duration) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest page = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/productpage"))
                .timeout(Duration.ofSeconds(10)).build();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread caller = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        http.send(page, HttpResponse.BodyHandlers.discarding());
                    } catch (IOException e) {
                        // counted by the demo's own traffic line; the benchmark measures memory
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            caller.start();
            callers.add(caller);
        }
        for (Thread caller : callers) {
            caller.join();
        }
    }

    private static Path find(String relative) throws IOException {
        for (Path base : List.of(Path.of("").toAbsolutePath(), Path.of("").toAbsolutePath().getParent())) {
            if (Files.isRegularFile(base.resolve(relative))) {
                return base.resolve(relative);
            }
        }
        throw new IOException(relative + " not found: run ./mvnw -q -B install -DskipTests first");
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }
}
