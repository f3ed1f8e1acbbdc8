package dev.gatemesh.bench;

import dev.gatemesh.ca.CaMaterial;
import dev.gatemesh.ca.CertificateAuthority;
import dev.gatemesh.ca.identity.SpiffeTrustManager;
import dev.gatemesh.ca.pki.CertificateRequests;
import dev.gatemesh.ca.pki.KeyPairs;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.ca.policy.SigningPolicy;
import dev.gatemesh.server.ConfigServerApplication;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
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
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * CSR signing throughput of the config server's endpoint (TLS, HTTP, JSON, credential check, CSR
 * signature check, policy, certificate build and signature, audit line) against raw JDK ECDSA P-256
 * signing in the same run, both with as many threads as cores; the load generator (reactor-netty, as
 * proxies use) shares those cores. Also the CA alone, in-process. Target: endpoint >= 0.5 x raw.
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
        double inProcess = caSignaturesPerSecond(threads);
        System.out.printf("| CertificateAuthority.sign in-process (CSR parse and verify, policy, certificate) | %.0f certificates/s |%n",
                inProcess);
        int callers = args.length > 0 ? Integer.parseInt(args[0]) : threads * 4;
        double endpoint = endpointCertificatesPerSecond(callers);
        System.out.printf("| POST /v1/certificates over TLS, %d concurrent callers | %.0f certificates/s |%n", callers, endpoint);
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

    private static double caSignaturesPerSecond(int threads) throws Exception {
        var ca = new CertificateAuthority(CaMaterial.selfSigned("cluster.local", Clock.systemUTC(), new SecureRandom()),
                SigningPolicy.defaults("cluster.local"), Clock.systemUTC(), new SecureRandom());
        SpiffeId reviews = new SpiffeId("cluster.local", "bookinfo", "bookinfo-reviews");
        List<String> csrs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            csrs.add(CertificateRequests.build(KeyPairs.generateP256(new SecureRandom()), reviews));
        }
        AtomicLong next = new AtomicLong();
        return run(threads, () -> ca.sign(csrs.get((int) (next.getAndIncrement() % csrs.size())), reviews, null));
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
        Path auditLog = Files.createTempFile("gatemesh-bench-audit", ".log");
        ConfigurableApplicationContext server = new SpringApplicationBuilder(ConfigServerApplication.class).run(
                "--server.port=" + port, "--server.address=127.0.0.1", "--gatemesh.server.source=file",
                "--gatemesh.server.file.path=" + folder, "--gatemesh.server.home=" + Files.createTempDirectory("gatemesh-bench-home"),
                "--gatemesh.server.bootstrap-token=bench", "--logging.level.root=WARN",
                // Every certificate is audited as in production, into a file rather than this console.
                "--logging.level.gatemesh.audit=INFO", "--logging.file.name=" + auditLog, "--logging.pattern.console=",
                "--management.server.port=0");
        try {
            // Requests are prepared up front: key generation is the proxy's cost, not the CA's.
            SpiffeId reviews = new SpiffeId("cluster.local", "bookinfo", "bookinfo-reviews");
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String csr = CertificateRequests.build(KeyPairs.generateP256(new SecureRandom()), reviews);
                bodies.add("{\"csr\":\"" + csr.replace("\n", "\\n") + "\",\"workload\":\"bookinfo/reviews-v1\"}");
            }
            CertificateAuthority ca = server.getBean(CertificateAuthority.class);
            // A proxy's view of the server: TLS, the control plane's SPIFFE ID under the mesh root.
            SslContext tls = SslContextBuilder.forClient().trustManager(new SpiffeTrustManager(ca::trustBundle,
                    "cluster.local", BenchIdentities.CONTROL_PLANE::equals, Clock.systemUTC())).build();
            HttpClient http = HttpClient.create(ConnectionProvider.create("csr-callers", callers))
                    .secure(spec -> spec.sslContext(tls))
                    .baseUrl("https://127.0.0.1:" + port)
                    .headers(h -> h.set("Authorization", "Bearer bench").set("Content-Type", "application/json"));
            AtomicLong next = new AtomicLong();
            return run(callers, () -> {
                String body = bodies.get((int) (next.getAndIncrement() % bodies.size()));
                int status = http.post().uri("/v1/certificates").send(ByteBufFlux.fromString(Mono.just(body)))
                        .responseSingle((response, content) -> content.asString().thenReturn(response.status().code()))
                        .block();
                if (status != 200) {
                    throw new IllegalStateException("HTTP " + status);
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
