package dev.gatemesh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.ca.CaMaterial;
import dev.gatemesh.ca.TrustBundle;
import dev.gatemesh.ca.identity.IdentityMaterial;
import dev.gatemesh.ca.identity.SpiffeTrustManager;
import dev.gatemesh.ca.identity.WorkloadIdentity;
import dev.gatemesh.ca.identity.WorkloadKeyManager;
import dev.gatemesh.ca.pki.Certificates;
import dev.gatemesh.ca.pki.KeyPairs;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.proxy.controlplane.ControlPlaneTls;
import dev.gatemesh.proxy.identity.CertificateIssuer;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * Certificates that live a few seconds, from the real CA endpoint over TLS; two workloads exchange
 * mutual-TLS traffic continuously across several rotations of both certificates, and across a root
 * rotation of the CA itself. Not one request may fail, and new connections must present the new
 * certificates.
 */
class RotationUnderLoadIntegrationTests {

    private static final SpiffeId REVIEWS = new SpiffeId("cluster.local", "bookinfo", "bookinfo-reviews");
    private static final SpiffeId PRODUCTPAGE = new SpiffeId("cluster.local", "bookinfo", "bookinfo-productpage");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path folder;
    @TempDir
    Path home;
    @TempDir
    Path work;
    private RunningConfigServer server;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    /**
     * A workload's identity as a proxy keeps it: certificates from the CSR endpoint with the bootstrap
     * token, trusting the control plane by the trust bundle the proxy last received (at first, the
     * published root file), exactly as a proxy does across a root rotation.
     */
    private WorkloadIdentity identity(SpiffeId id, String workload, Duration ttl) throws Exception {
        AtomicReference<TrustBundle> trusted = new AtomicReference<>(
                TrustBundle.fromPem(Files.readString(home.resolve("root-cert.pem"))));
        var tls = ControlPlaneTls.certificateRequests(trusted::get, RunningConfigServer.CONTROL_PLANE, Clock.systemUTC());
        var issuer = new CertificateIssuer(URI.create("https://127.0.0.1:" + server.port + "/v1/certificates"),
                RunningConfigServer.TOKEN, workload, id, ttl, tls, new SecureRandom());
        WorkloadIdentity identity = new WorkloadIdentity(issuer::issue, Clock.systemUTC(), new SplittableRandom(id.hashCode()),
                scheduler, Duration.ofMillis(100));
        identity.onRotation(material -> trusted.set(material.trustBundle()));
        trusted.set(identity.start().trustBundle());
        return identity;
    }

    @Test
    void trafficFlowsWithoutASingleFailureAcrossRotations() throws Exception {
        MeshFolder.copyExamples(folder);
        server = new RunningConfigServer(folder, home);
        WorkloadIdentity reviews = identity(REVIEWS, "bookinfo/reviews-v1", Duration.ofSeconds(3));
        WorkloadIdentity productpage = identity(PRODUCTPAGE, "bookinfo/productpage-v1", Duration.ofSeconds(3));
        List<IdentityMaterial> reviewsRotations = new CopyOnWriteArrayList<>();
        List<IdentityMaterial> productpageRotations = new CopyOnWriteArrayList<>();
        reviews.onRotation(reviewsRotations::add);
        productpage.onRotation(productpageRotations::add);

        try (Traffic traffic = new Traffic(reviews, productpage)) {
            await().atMost(WAIT).until(() -> reviewsRotations.size() >= 3 && productpageRotations.size() >= 3
                    && traffic.clientSerialsSeen.size() >= 3);
            traffic.finish();
            assertThat(traffic.failures).isEmpty();
            assertThat(traffic.ok.get()).isGreaterThan(200);
        }
        reviews.close();
        productpage.close();
    }

    @Test
    void aRootRotationWithATwoRootBundleKeepsTrafficFlowing() throws Exception {
        MeshFolder.copyExamples(folder);
        Path cacerts = work.resolve("cacerts");
        CaMaterial rootA = CaMaterial.selfSigned("cluster.local", Clock.systemUTC(), new SecureRandom());
        rootA.write(cacerts);
        server = RunningConfigServer.withSettings(folder, home, "--gatemesh.server.ca.cacerts=" + cacerts,
                "--gatemesh.server.ca.reload-interval=100ms");
        WorkloadIdentity reviews = identity(REVIEWS, "bookinfo/reviews-v1", Duration.ofSeconds(2));
        WorkloadIdentity productpage = identity(PRODUCTPAGE, "bookinfo/productpage-v1", Duration.ofSeconds(2));
        List<WorkloadIdentity> both = List.of(reviews, productpage);

        // The new root, and the intermediate under it that will sign.
        var rootBKeys = KeyPairs.generateP256(new SecureRandom());
        Instant now = Instant.now();
        X509Certificate rootB = Certificates.selfSignedCa(rootBKeys, "cluster.local", now.minusSeconds(60),
                now.plus(Duration.ofDays(3650)), new SecureRandom());
        var intermediateKeys = KeyPairs.generateP256(new SecureRandom());
        X509Certificate intermediateB = Certificates.intermediateCa(rootB, rootBKeys.getPrivate(), intermediateKeys.getPublic(),
                "cluster.local intermediate", now.minusSeconds(60), now.plus(Duration.ofDays(365)), new SecureRandom());
        X509Certificate oldRoot = rootA.trustBundle().roots().get(0);

        try (Traffic traffic = new Traffic(reviews, productpage)) {
            // 1. Distribute trust: sign under A still, trust A and B.
            replace(cacerts, new CaMaterial(rootA.signingCertificate(), rootA.signingKey(), List.of(),
                    new TrustBundle(List.of(oldRoot, rootB))));
            await().atMost(WAIT).until(() -> both.stream().allMatch(w -> w.current().trustBundle().roots().size() == 2));
            // 2. Sign under B; certificates of both roots meet while the workloads renew one by one.
            replace(cacerts, new CaMaterial(intermediateB, intermediateKeys.getPrivate(), List.of(intermediateB),
                    new TrustBundle(List.of(oldRoot, rootB))));
            await().atMost(WAIT).until(() -> both.stream().allMatch(w -> w.current().chain().contains(intermediateB)));
            // 3. Drop the old root.
            replace(cacerts, new CaMaterial(intermediateB, intermediateKeys.getPrivate(), List.of(intermediateB),
                    new TrustBundle(List.of(rootB))));
            await().atMost(WAIT).until(() -> both.stream().allMatch(w -> w.current().trustBundle().roots().equals(List.of(rootB))));
            int before = traffic.ok.get();
            await().atMost(WAIT).until(() -> traffic.ok.get() > before + 50);
            traffic.finish();
            assertThat(traffic.failures).isEmpty();
            assertThat(Files.readString(home.resolve("root-cert.pem"))).isEqualTo(new TrustBundle(List.of(rootB)).pem());
        }
        reviews.close();
        productpage.close();
    }

    /** Swaps the cacerts folder in one move (the reloader sees the old or the new one, or briefly none). */
    private void replace(Path cacerts, CaMaterial material) throws Exception {
        Path next = work.resolve("cacerts.next");
        material.write(next);
        Path old = work.resolve("cacerts.old");
        Files.move(cacerts, old);
        Files.move(next, cacerts);
        try (var files = Files.list(old)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(old);
    }

    /**
     * Continuous mutual-TLS requests from productpage to reviews on 4 workers. Connections live 500 ms,
     * so new handshakes happen all along with whatever certificate and bundle are current.
     */
    private static final class Traffic implements AutoCloseable {
        final AtomicInteger ok = new AtomicInteger();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final Set<String> clientSerialsSeen = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final DisposableServer reviewsServer;
        private final ConnectionProvider pool;
        private final Disposable load;
        private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

        Traffic(WorkloadIdentity reviews, WorkloadIdentity productpage) throws SSLException {
            SslContext serverTls = SslContextBuilder.forServer(new WorkloadKeyManager(reviews::current))
                    .trustManager(new SpiffeTrustManager(() -> reviews.current().trustBundle(), "cluster.local",
                            PRODUCTPAGE::equals, Clock.systemUTC()))
                    .clientAuth(ClientAuth.REQUIRE).protocols("TLSv1.3").build();
            reviewsServer = HttpServer.create().host("127.0.0.1").port(0)
                    .secure(spec -> spec.sslContext(serverTls))
                    .handle((request, response) -> {
                        request.withConnection(c -> {
                            try {
                                var peer = (X509Certificate) c.channel().pipeline().get(SslHandler.class).engine().getSession()
                                        .getPeerCertificates()[0];
                                clientSerialsSeen.add(peer.getSerialNumber().toString(16));
                            } catch (SSLPeerUnverifiedException e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        return response.sendString(Mono.just("reviews ok"));
                    })
                    .bindNow();
            SslContext clientTls = SslContextBuilder.forClient().keyManager(new WorkloadKeyManager(productpage::current))
                    .trustManager(new SpiffeTrustManager(() -> productpage.current().trustBundle(), "cluster.local",
                            REVIEWS::equals, Clock.systemUTC()))
                    .protocols("TLSv1.3").build();
            pool = ConnectionProvider.builder("rotation").maxConnections(4).maxLifeTime(Duration.ofMillis(500)).build();
            HttpClient client = HttpClient.create(pool).secure(spec -> spec.sslContext(clientTls))
                    .baseUrl("https://127.0.0.1:" + reviewsServer.port());
            load = Flux.range(0, 4).flatMap(worker -> Flux.<Integer>generate(sink -> {
                        if (running.get()) {
                            sink.next(worker);
                        } else {
                            sink.complete();
                        }
                    }).concatMap(ignored -> client.get().uri("/reviews/1").responseSingle((response, body) -> body.asString()
                            .map(text -> {
                                if (response.status().code() == 200 && text.equals("reviews ok")) {
                                    ok.incrementAndGet();
                                } else {
                                    failures.add(new AssertionError("HTTP " + response.status().code() + ": " + text));
                                }
                                return text;
                            }))
                            .onErrorResume(e -> {
                                failures.add(e);
                                return Mono.empty();
                            })), 4)
                    .subscribeOn(Schedulers.boundedElastic())
                    .doFinally(signal -> done.countDown())
                    .subscribe();
        }

        /** Stops sending and waits for the requests in flight. */
        void finish() throws InterruptedException {
            running.set(false);
            assertThat(done.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("requests in flight completed").isTrue();
        }

        @Override
        public void close() {
            running.set(false);
            load.dispose();
            reviewsServer.disposeNow();
            pool.dispose();
        }
    }
}
