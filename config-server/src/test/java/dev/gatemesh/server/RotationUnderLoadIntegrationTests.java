package dev.gatemesh.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.proxy.identity.CertificateIssuer;
import dev.gatemesh.ca.identity.IdentityMaterial;
import dev.gatemesh.ca.identity.SpiffeTrustManager;
import dev.gatemesh.ca.identity.WorkloadIdentity;
import dev.gatemesh.ca.identity.WorkloadKeyManager;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * Certificates that live 3 seconds, from the real CA endpoint; two workloads exchange mutual-TLS
 * traffic continuously across several rotations of both certificates. Not one request may fail, and
 * new connections must present the new certificates.
 */
class RotationUnderLoadIntegrationTests {

    private static final SpiffeId REVIEWS = new SpiffeId("cluster.local", "bookinfo", "bookinfo-reviews");
    private static final SpiffeId PRODUCTPAGE = new SpiffeId("cluster.local", "bookinfo", "bookinfo-productpage");

    @TempDir
    Path folder;
    @TempDir
    Path home;
    private RunningConfigServer server;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    @BeforeEach
    void start() throws Exception {
        MeshFolder.copyExamples(folder);
        server = new RunningConfigServer(folder, home);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        server.close();
    }

    private WorkloadIdentity identity(SpiffeId id, String workload) throws Exception {
        var issuer = new CertificateIssuer(URI.create("https://127.0.0.1:" + server.port + "/v1/certificates"),
                RunningConfigServer.TOKEN, workload, id, Duration.ofSeconds(3), server.serverOnlyTls(), new SecureRandom());
        WorkloadIdentity identity = new WorkloadIdentity(issuer::issue, Clock.systemUTC(), new SplittableRandom(id.hashCode()),
                scheduler, Duration.ofMillis(100));
        identity.start();
        return identity;
    }

    @Test
    void trafficFlowsWithoutASingleFailureAcrossRotations() throws Exception {
        WorkloadIdentity reviews = identity(REVIEWS, "bookinfo/reviews-v1");
        WorkloadIdentity productpage = identity(PRODUCTPAGE, "bookinfo/productpage-v1");
        List<IdentityMaterial> reviewsRotations = new CopyOnWriteArrayList<>();
        List<IdentityMaterial> productpageRotations = new CopyOnWriteArrayList<>();
        reviews.onRotation(reviewsRotations::add);
        productpage.onRotation(productpageRotations::add);

        Set<String> clientSerialsSeen = ConcurrentHashMap.newKeySet();
        SslContext serverTls = SslContextBuilder.forServer(new WorkloadKeyManager(reviews::current))
                .trustManager(new SpiffeTrustManager(() -> reviews.current().trustBundle(), "cluster.local",
                        PRODUCTPAGE::equals, Clock.systemUTC()))
                .clientAuth(ClientAuth.REQUIRE).protocols("TLSv1.3").build();
        DisposableServer reviewsServer = HttpServer.create().host("127.0.0.1").port(0)
                .secure(spec -> spec.sslContext(serverTls))
                .handle((request, response) -> {
                    request.withConnection(c -> {
                        var ssl = c.channel().pipeline().get(io.netty.handler.ssl.SslHandler.class);
                        try {
                            var peer = (java.security.cert.X509Certificate) ssl.engine().getSession().getPeerCertificates()[0];
                            clientSerialsSeen.add(peer.getSerialNumber().toString(16));
                        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    return response.sendString(Mono.just("reviews ok"));
                })
                .bindNow();
        SslContext clientTls = clientContext(productpage);
        // Connections live 500 ms, so new handshakes happen all along, with whatever certificate is current.
        ConnectionProvider pool = ConnectionProvider.builder("rotation").maxConnections(4).maxLifeTime(Duration.ofMillis(500))
                .build();
        HttpClient client = HttpClient.create(pool).secure(spec -> spec.sslContext(clientTls))
                .baseUrl("https://127.0.0.1:" + reviewsServer.port());

        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(12).toNanos();
        Flux.range(0, 4).flatMap(worker -> Flux.<Integer>generate(sink -> {
                    if (System.nanoTime() > deadline) {
                        sink.complete();
                    } else {
                        sink.next(worker);
                    }
                }).concatMap(ignored -> client.get().uri("/reviews/1").responseSingle((response, body) -> body.asString()
                        .map(text -> response.status().code() == 200 && text.equals("reviews ok")))
                        .doOnNext(good -> (good ? ok : failed).incrementAndGet())
                        .onErrorResume(e -> {
                            failed.incrementAndGet();
                            failures.add(e);
                            return Mono.empty();
                        })), 4)
                .blockLast(Duration.ofSeconds(60));

        reviewsServer.disposeNow();
        pool.dispose();
        reviews.close();
        productpage.close();
        assertThat(failures).isEmpty();
        assertThat(failed.get()).isZero();
        assertThat(ok.get()).isGreaterThan(200);
        assertThat(reviewsRotations).as("the server's certificate rotated").hasSizeGreaterThanOrEqualTo(3);
        assertThat(productpageRotations).as("the client's certificate rotated").hasSizeGreaterThanOrEqualTo(3);
        assertThat(clientSerialsSeen).as("new connections presented the rotated client certificates")
                .hasSizeGreaterThanOrEqualTo(3);
    }

    private static SslContext clientContext(WorkloadIdentity identity) throws SSLException {
        return SslContextBuilder.forClient().keyManager(new WorkloadKeyManager(identity::current))
                .trustManager(new SpiffeTrustManager(() -> identity.current().trustBundle(), "cluster.local",
                        REVIEWS::equals, Clock.systemUTC()))
                .protocols("TLSv1.3").build();
    }
}
