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

/**
 * One of the project's apps (a Spring Boot exec jar as it ships: the sidecar, the ingress gateway) in its own JVM,
 * with the benchmark's JVM options, its output in a log file, ready when actuator's readiness probe says so.
 */
final class BootJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int managementPort;
    private final Path log;

    private BootJvm(String name, Process process, int managementPort, Path log) {
        this.name = name;
        this.process = process;
        this.managementPort = managementPort;
        this.log = log;
    }

    /**
     * Starts {@code jar} (relative to the reactor's root) with {@code jvmOptions} (split on spaces) and {@code args};
     * {@code managementPort} is where its readiness probe answers. The Java home is {@code bench.sidecarJava} if set.
     */
    static BootJvm start(String name, String jvmOptions, String jar, int managementPort, List<String> args, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("bench.sidecarJava",
                System.getProperty("java.home")), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions.trim().split("\\s+")));
        command.addAll(List.of("-jar", find(jar).toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new BootJvm(name, process, managementPort, log);
    }

    private static Path find(String jar) throws IOException {
        for (Path base : List.of(Path.of("").toAbsolutePath(), Path.of("").toAbsolutePath().getParent())) {
            Path path = base.resolve(jar);
            if (Files.isRegularFile(path)) {
                return path;
            }
        }
        throw new IOException(jar + " not found: run ./mvnw -q -B package -DskipTests first");
    }

    void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest readiness = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).build();
        Await.until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited: " + tail(30));
            }
            try {
                return http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, name + " is ready");
    }

    /** The last {@code lines} lines of its log. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    Path log() {
        return log;
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public void close() throws InterruptedException {
        Nginx.stop(process);
    }
}
