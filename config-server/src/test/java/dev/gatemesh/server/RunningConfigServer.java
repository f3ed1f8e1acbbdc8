package dev.gatemesh.server;

import dev.gatemesh.api.testing.FreePorts;
import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.ca.CertificateAuthority;
import dev.gatemesh.ca.TrustBundle;
import dev.gatemesh.ca.identity.ControlPlaneIdentity;
import dev.gatemesh.ca.identity.InProcessIssuer;
import dev.gatemesh.ca.identity.IssueFailed;
import dev.gatemesh.ca.identity.SpiffeTrustManager;
import dev.gatemesh.ca.identity.WorkloadIdentity;
import dev.gatemesh.ca.identity.WorkloadKeyManager;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.proxy.controlplane.ControlPlaneTls;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.proxy.controlplane.Backoff;
import dev.gatemesh.proxy.controlplane.ControlPlaneClient;
import dev.gatemesh.proxy.controlplane.ControlPlaneClientSettings;
import dev.gatemesh.proxy.controlplane.SnapshotHandler;
import dev.gatemesh.server.push.ProxyHub;
import dev.gatemesh.server.push.ProxyStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.gatemesh.server.management.ManagementToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real config server on loopback ports (the TLS mesh port and the plain management port), started
 * in-process, and proxies (clients) connected to it with workload certificates from its CA.
 */
final class RunningConfigServer implements AutoCloseable {

    static final String TOKEN = "test-bootstrap-token";
    static final SpiffeId CONTROL_PLANE = ControlPlaneIdentity.of("cluster.local", "gatemesh-system");

    final int port;
    final int managementPort;
    private final ScheduledExecutorService renewals = Executors.newScheduledThreadPool(1);
    private final List<String> sourceArgs;
    private final KubernetesClient kubernetes;
    private ConfigurableApplicationContext context;
    private Path home;
    private final List<ControlPlaneClient> clients = new ArrayList<>();

    private RunningConfigServer(List<String> sourceArgs, KubernetesClient kubernetes, Path home) throws IOException {
        this.port = FreePorts.next();
        this.managementPort = FreePorts.next();
        this.sourceArgs = sourceArgs;
        this.kubernetes = kubernetes;
        start(home);
    }

    /** A server reading a folder. */
    RunningConfigServer(Path folder, Path home) throws IOException {
        this(List.of("--gatemesh.server.source=file", "--gatemesh.server.file.path=" + folder), null, home);
    }

    /** A server reading a folder, with more settings ({@code --name=value}). */
    static RunningConfigServer withSettings(Path folder, Path home, String... settings) throws IOException {
        List<String> args = new ArrayList<>(List.of("--gatemesh.server.source=file", "--gatemesh.server.file.path=" + folder));
        args.addAll(List.of(settings));
        return new RunningConfigServer(args, null, home);
    }

    /**
     * A server reading a Kubernetes API server, with the client spring-cloud-kubernetes' fabric8
     * auto-configuration builds from its properties (as in a cluster, but pointed at the given URL).
     */
    static RunningConfigServer kubernetes(String masterUrl, Path home, String... settings) throws IOException {
        List<String> args = new ArrayList<>(List.of("--gatemesh.server.source=kubernetes",
                "--spring.main.cloud-platform=kubernetes",
                "--spring.cloud.kubernetes.client.master-url=" + masterUrl,
                "--spring.cloud.kubernetes.client.namespace=gatemesh-system",
                "--spring.cloud.kubernetes.client.trust-certs=true"));
        args.addAll(List.of(settings));
        return new RunningConfigServer(args, null, home);
    }

    /** A server with source=kubernetes outside a detected cluster: the client comes from fabric8's configuration. */
    static RunningConfigServer kubernetesOutsideCluster(Path home) throws IOException {
        return new RunningConfigServer(List.of("--gatemesh.server.source=kubernetes"), null, home);
    }

    void start(Path home) {
        this.home = home;
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--management.server.port=" + managementPort,
                "--server.address=127.0.0.1",
                "--gatemesh.server.home=" + home,
                "--gatemesh.server.bootstrap-token=" + TOKEN,
                "--gatemesh.server.debounce=20ms"));
        args.addAll(sourceArgs);
        SpringApplicationBuilder builder = new SpringApplicationBuilder(ConfigServerApplication.class);
        if (kubernetes != null) {
            builder.initializers(ctx -> ctx.getBeanFactory().registerSingleton("kubernetesClient", kubernetes));
        }
        context = builder.run(args.toArray(String[]::new));
    }

    void stop() {
        context.close();
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    ProxyHub hub() {
        return context.getBean(ProxyHub.class);
    }

    List<ProxyStatus> statuses() {
        return hub().statuses();
    }

    ControlPlaneClient connect(String id, String app, SnapshotHandler handler) {
        ProxyNode node = new ProxyNode(id, ProxyRole.SIDECAR, "bookinfo", "bookinfo-" + app,
                Map.of("app", app, "version", "v1"));
        return connect(node, handler);
    }

    /** A proxy with a certificate for its node's namespace and service account. */
    ControlPlaneClient connect(ProxyNode node, SnapshotHandler handler) {
        return connect(node, identity(new SpiffeId("cluster.local", node.namespace(), node.serviceAccount()),
                Duration.ofHours(1)), handler);
    }

    ControlPlaneClient connect(ProxyNode node, WorkloadIdentity identity, SnapshotHandler handler) {
        return connect(node, identity, handler, new dev.gatemesh.proxy.controlplane.ControlPlaneEvents());
    }

    ControlPlaneClient connect(ProxyNode node, WorkloadIdentity identity, SnapshotHandler handler,
                               dev.gatemesh.proxy.controlplane.ControlPlaneEvents events) {
        var settings = new ControlPlaneClientSettings(URI.create("wss://127.0.0.1:" + port + "/v1/stream"), node,
                LoadOptions.DEFAULTS, new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), new SplittableRandom(7)),
                16 << 20);
        ControlPlaneClient client = new ControlPlaneClient(settings, identity, handler, events);
        clients.add(client);
        client.start();
        return client;
    }

    /**
     * A kept-renewed certificate for {@code id}, signed by this server's CA in-process through the same
     * signing policy (the CSR endpoint's own tests cover how a proxy proves who it is).
     */
    WorkloadIdentity identity(SpiffeId id, Duration ttl) {
        var issuer = new InProcessIssuer(context.getBean(CertificateAuthority.class), id, ttl, new SecureRandom());
        WorkloadIdentity identity = new WorkloadIdentity(issuer, Clock.systemUTC(), new SplittableRandom(id.hashCode()),
                renewals, Duration.ofMillis(100));
        try {
            identity.start();
        } catch (IssueFailed e) {
            throw new IllegalStateException(e);
        }
        return identity;
    }

    TrustBundle trustBundle() {
        return context.getBean(CertificateAuthority.class).trustBundle();
    }

    /** TLS to the mesh port trusting the mesh root and requiring the control plane's identity; no client certificate. */
    SSLContext serverOnlyTls() {
        return ControlPlaneTls.certificateRequests(this::trustBundle, CONTROL_PLANE, Clock.systemUTC());
    }

    /** Mutual TLS to the mesh port with the workload's certificate. */
    SSLContext mutualTls(WorkloadIdentity identity) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new WorkloadKeyManager(identity::current)}, new TrustManager[] {
                new SpiffeTrustManager(this::trustBundle, "cluster.local", CONTROL_PLANE::equals, Clock.systemUTC())}, null);
        return context;
    }

    /** A GET on the management port (actuator) with the management credential the server wrote into its home. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .header("Authorization", "Bearer " + managementToken()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET on the management port without any credential. */
    HttpResponse<String> getAnonymously(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The management credential, as meshctl reads it: from the server's home. */
    String managementToken() throws IOException {
        return Files.readString(home.resolve(ManagementToken.FILE_NAME)).trim();
    }

    /** A GET on the mesh port, over TLS. */
    HttpResponse<String> getOnMeshPort(String path) throws IOException, InterruptedException {
        return HttpClient.newBuilder().sslContext(serverOnlyTls()).build().send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        clients.forEach(ControlPlaneClient::close);
        renewals.shutdownNow();
        if (context.isActive()) {
            context.close();
        }
    }
}
