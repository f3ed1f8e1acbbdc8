package dev.gatemesh.server;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.proxy.controlplane.Backoff;
import dev.gatemesh.proxy.controlplane.ControlPlaneClient;
import dev.gatemesh.proxy.controlplane.ControlPlaneClientSettings;
import dev.gatemesh.proxy.controlplane.SnapshotHandler;
import dev.gatemesh.server.push.ProxyHub;
import dev.gatemesh.server.push.ProxyStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A real config server on a loopback port, started in-process, and proxies (clients) connected to it. */
final class RunningConfigServer implements AutoCloseable {

    static final String TOKEN = "test-bootstrap-token";

    final int port;
    private final List<String> sourceArgs;
    private final KubernetesClient kubernetes;
    private ConfigurableApplicationContext context;
    private final List<ControlPlaneClient> clients = new ArrayList<>();

    private RunningConfigServer(List<String> sourceArgs, KubernetesClient kubernetes, Path home) throws IOException {
        this.port = freePort();
        this.sourceArgs = sourceArgs;
        this.kubernetes = kubernetes;
        start(home);
    }

    /** A server reading a folder. */
    RunningConfigServer(Path folder, Path home) throws IOException {
        this(List.of("--gatemesh.server.source=file", "--gatemesh.server.file.path=" + folder), null, home);
    }

    /**
     * A server reading a Kubernetes API server, with the client spring-cloud-kubernetes' fabric8
     * auto-configuration builds from its properties (as in a cluster, but pointed at the given URL).
     */
    static RunningConfigServer kubernetes(String masterUrl, Path home) throws IOException {
        return new RunningConfigServer(List.of("--gatemesh.server.source=kubernetes",
                "--spring.main.cloud-platform=kubernetes",
                "--spring.cloud.kubernetes.client.master-url=" + masterUrl,
                "--spring.cloud.kubernetes.client.namespace=gatemesh-system",
                "--spring.cloud.kubernetes.client.trust-certs=true"), null, home);
    }

    /** A server with source=kubernetes outside a detected cluster: the client comes from fabric8's configuration. */
    static RunningConfigServer kubernetesOutsideCluster(Path home) throws IOException {
        return new RunningConfigServer(List.of("--gatemesh.server.source=kubernetes"), null, home);
    }

    void start(Path home) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + port,
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
        return connect(node, TOKEN, handler);
    }

    ControlPlaneClient connect(ProxyNode node, String token, SnapshotHandler handler) {
        var settings = new ControlPlaneClientSettings(URI.create("ws://127.0.0.1:" + port + "/v1/stream"), token, node,
                LoadOptions.DEFAULTS, new Backoff(Duration.ofMillis(20), Duration.ofMillis(200), new SplittableRandom(7)),
                16 << 20);
        ControlPlaneClient client = new ControlPlaneClient(settings, handler);
        clients.add(client);
        client.start();
        return client;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        clients.forEach(ControlPlaneClient::close);
        if (context.isActive()) {
            context.close();
        }
    }
}
