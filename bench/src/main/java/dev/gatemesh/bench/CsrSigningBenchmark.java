package dev.gatemesh.bench;

import dev.gatemesh.ca.CertificateAuthority;
import dev.gatemesh.ca.pki.CertificateRequests;
import dev.gatemesh.proxy.controlplane.ControlPlaneTls;
import java.time.Clock;
import dev.gatemesh.ca.pki.KeyPairs;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.server.ConfigServerApplication;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * CSR signing throughput of the config server's endpoint (HTTP, JSON, credential check, policy,
 * certificate build, ECDSA signature) against raw JDK ECDSA P-256 signing in the same run, both with
 * as many threads as cores. Target: endpoint >= 0.5 x raw.
 *
 * <p>Run: {@code ./mvnw -q -B install -DskipTests && ./mvnw -q -B -pl bench exec:java
 * -Dexec.mainClass=dev.gatemesh.bench.CsrSigningBenchmark}
 */
public final class CsrSigningBenchmark {

    private static final int SECONDS = 15;
    private static final int WARMUP_SECONDS = 10;

    public static void main(String[] args) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        System.out.printf("CSR signing, %d s after %d s warm-up, %d threads, %s%n", SECONDS, WARMUP_SECONDS, threads,
                System.getProperty("java.vm.version"));
        double raw = rawSignaturesPerSecond(threads);
        System.out.printf("| raw JDK SHA256withECDSA P-256 signatures | %.0f /s |%n", raw);
        double endpoint = endpointCertificatesPerSecond(threads * 4);
        System.out.printf("| POST /v1/certificates, %d concurrent callers | %.0f certificates/s |%n", threads * 4, endpoint);
        System.out.printf("| ratio endpoint / raw | %.2f |%n", endpoint / raw);
        System.exit(0);
    }

    private static double rawSignaturesPerSecond(int threads) throws Exception {
        KeyPair keys = KeyPairs.generateP256(new SecureRandom());
        byte[] message = new byte[400]; // about a leaf certificate's to-be-signed part
        return run(threads, () -> {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(keys.getPrivate());
            signature.update(message);
            signature.sign();
        });
    }

    private static double endpointCertificatesPerSecond(int callers) throws Exception {
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
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ConfigurableApplicationContext server = new SpringApplicationBuilder(ConfigServerApplication.class).run(
                "--server.port=" + port, "--server.address=127.0.0.1", "--gatemesh.server.source=file",
                "--gatemesh.server.file.path=" + folder, "--gatemesh.server.home=" + Files.createTempDirectory("gatemesh-bench-home"),
                "--gatemesh.server.bootstrap-token=bench", "--logging.level.root=WARN", "--logging.level.gatemesh.audit=WARN",
                "--management.server.port=0");
        try {
            // Requests are prepared up front: key generation is the proxy's cost, not the CA's.
            List<HttpRequest> requests = new ArrayList<>();
            SpiffeId reviews = new SpiffeId("cluster.local", "bookinfo", "bookinfo-reviews");
            for (int i = 0; i < 64; i++) {
                String csr = CertificateRequests.build(KeyPairs.generateP256(new SecureRandom()), reviews);
                String body = "{\"csr\":\"" + csr.replace("\n", "\\n") + "\",\"workload\":\"bookinfo/reviews-v1\"}";
                requests.add(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v1/certificates"))
                        .header("Authorization", "Bearer bench").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            }
            CertificateAuthority ca = server.getBean(CertificateAuthority.class);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(ControlPlaneTls.certificateRequests(ca::trustBundle, BenchIdentities.CONTROL_PLANE,
                            Clock.systemUTC())).build();
            AtomicLong next = new AtomicLong();
            return run(callers, () -> {
                var response = http.send(requests.get((int) (next.getAndIncrement() % requests.size())),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + response.statusCode());
                }
            });
        } finally {
            server.close();
        }
    }

    private interface Work {
        void once() throws Exception;
    }

    /** Runs the work on N threads: warm-up, then counts completions for the measured seconds. */
    private static double run(int threads, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        AtomicBoolean counting = new AtomicBoolean();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            futures.add(pool.submit(() -> {
                while (!stop.get()) {
                    work.once();
                    if (counting.get()) {
                        done.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        Thread.sleep(WARMUP_SECONDS * 1000L); // a benchmark's measuring window, not test synchronisation
        counting.set(true);
        long start = System.nanoTime();
        Thread.sleep(SECONDS * 1000L);
        long count = done.get();
        double elapsed = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        return count / elapsed;
    }
}
