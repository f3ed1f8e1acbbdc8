package dev.gatemesh.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** An nginx (Debian's) in the foreground with its own prefix folder and configuration. */
final class Nginx implements AutoCloseable {

    private final Process process;
    final String name;

    private Nginx(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Starts nginx with {@code http} as the body of its {@code http} block, {@code workers} worker processes,
     * and waits until {@code port} accepts connections.
     */
    static Nginx start(Path work, String name, int workers, int port, String http) throws IOException, InterruptedException {
        Path prefix = Files.createDirectories(work.resolve("nginx-" + name));
        Files.createDirectories(prefix.resolve("logs"));
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, """
                %sworker_processes %d;
                daemon off;
                pid %s/nginx.pid;
                error_log %s/logs/error.log warn;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  client_body_temp_path %s/body;
                  proxy_temp_path %s/proxy;
                  keepalive_requests 1000000;
                %s
                }
                """.formatted(user, workers, prefix, prefix, prefix, prefix, http.indent(2)));
        Process process = new ProcessBuilder("nginx", "-p", prefix.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
        Nginx nginx = new Nginx(name, process);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                nginx.close();
                throw new IOException("nginx " + name + " did not start: " + Files.readString(prefix.resolve("logs/stdout.log"))
                        + Files.readString(prefix.resolve("logs/error.log")));
            }
            Thread.sleep(50);
        }
        return nginx;
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    @Override
    public void close() throws InterruptedException {
        stop(process);
    }

    /** Asks a child process to stop (SIGTERM), and kills it if it has not within 10 s. */
    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
