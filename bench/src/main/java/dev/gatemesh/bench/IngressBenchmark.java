package dev.gatemesh.bench;

import dev.gatemesh.server.push.ProxyHub;
import dev.gatemesh.server.push.SyncState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The ingress data path in one run, all on loopback, loaded by wrk over HTTPS: TLS terminated at the edge, then
 * mutual TLS into the mesh, then the app (nginx answering 19 bytes). Two paths: nginx terminating TLS and proxying
 * over mutual TLS to a second nginx in front of the app (the nginx pair of {@link SidecarPairBenchmark} with a TLS
 * listener in front); and the Gatemesh ingress gateway (the ingress-gateway jar as it ships, an Istio Gateway with
 * an HTTPS server and a VirtualService routing to the app) calling a Gatemesh sidecar (the mesh-sidecar jar) in
 * front of the app. The gateway runs twice, its TLS terminated by the JDK and then by OpenSSL (BoringSSL through
 * netty-tcnative). Each front end is measured with keep-alive connections (throughput, latency) and with
 * {@code Connection: close} (every request a new full TLS handshake: requests/s = handshakes/s). The edge
 * certificate is ECDSA P-256 for {@code localhost} and {@code bench.example.com}, issued by a CA made here; clients
 * connect to {@code localhost} (its SNI) and send {@code Host: bench.example.com}.
 *
 * <p>Run: {@code ./mvnw -q -B -ntp -o package -DskipTests -pl bench,ingress-gateway,mesh-sidecar -am}, then
 * {@code java -cp <bench classpath> dev.gatemesh.bench.IngressBenchmark} from the reactor's root. Settings
 * (system properties): {@code bench.seconds} (each measurement, default 20), {@code bench.warmup} (the gateway's
 * and sidecar's JIT warm-up under load, default 60), {@code bench.gatewayJvm} (the gateway's JVM options),
 * {@code bench.sidecarJvm}, {@code bench.providers} (some of {@code JDK,OPENSSL}), {@code bench.only} (some of
 * {@code nginx,gateway}).
 */
public final class IngressBenchmark {

    private static final String TOKEN = "bench-token";
    private static final String SERVICE = "app.bench.svc.cluster.local";
    /** What wrk connects to and sends as SNI: the only name this machine resolves to 127.0.0.1. */
    private static final String HOST = "localhost";
    /** The Host header: a VirtualService's host without dots would be a short name in its namespace, as in Istio. */
    private static final String NAME = "bench.example.com";
    private static final String CLOSE = "Connection: close";
    /** The sidecar's options, with twice its heap: the gateway also carries Spring Cloud Gateway. */
    static final String DEFAULT_GATEWAY_JVM = "-XX:+UseSerialGC -Xmx128m -Xss512k -XX:ReservedCodeCacheSize=64m "
            + "-XX:MaxDirectMemorySize=64m -XX:+ExitOnOutOfMemoryError";
    private static final int NGINX_WORKERS = Integer.getInteger("bench.nginxWorkers", 2);

    private final Path work;
    private final Duration measure = Duration.ofSeconds(Long.getLong("bench.seconds", 20));
    private final Duration warmup = Duration.ofSeconds(Long.getLong("bench.warmup", 60));
    private final String gatewayJvm = System.getProperty("bench.gatewayJvm", DEFAULT_GATEWAY_JVM);
    private final String sidecarJvm = System.getProperty("bench.sidecarJvm", SidecarPairBenchmark.DEFAULT_SIDECAR_JVM);
    private final Wrk wrk = new Wrk(2, 50);
    private final List<String> rows = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();
    private final int appPort = SidecarPairBenchmark.freePort();
    private OpensslPki pki;
    private double nginxRate;
    private double nginxHandshakes;

    private IngressBenchmark(Path work) throws IOException {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        IngressBenchmark bench = new IngressBenchmark(Files.createTempDirectory("gatemesh-bench-ingress"));
        System.out.printf("Ingress: %s, %d s per measurement, gateway warm-up %d s, %d cores, %s%n", bench.wrk.describe(),
                bench.measure.toSeconds(), bench.warmup.toSeconds(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.version"));
        System.out.println("Gateway JVM options: " + bench.gatewayJvm + "; sidecar: " + bench.sidecarJvm);
        bench.pki = OpensslPki.create(bench.work.resolve("pki"));
        bench.pki.issueServer("edge", HOST, "bench.example.com");
        bench.pki.issue("client");
        bench.pki.issue("server");
        try (Nginx app = Nginx.start(bench.work, "app", 1, bench.appPort, """
                server {
                  listen 127.0.0.1:%d;
                  location / { return 200 "hello from the app\\n"; }
                }
                """.formatted(bench.appPort))) {
            String only = System.getProperty("bench.only", "nginx,gateway");
            if (only.contains("nginx")) {
                bench.nginx();
            }
            if (only.contains("gateway")) {
                bench.gateway();
            }
        }
        System.out.println();
        System.out.println("| path | req/s | p50 ms | p90 ms | p99 ms | failed | handshakes/s | RSS idle / peak MiB |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        bench.rows.forEach(System.out::println);
        System.out.println();
        bench.summary.forEach(System.out::println);
        System.exit(0);
    }

    private void nginx() throws Exception {
        int inbound = SidecarPairBenchmark.freePort();
        int edge = SidecarPairBenchmark.freePort();
        try (Nginx in = Nginx.start(work, "inbound", NGINX_WORKERS, inbound, """
                upstream app { server 127.0.0.1:%d; keepalive 64; }
                server {
                  listen 127.0.0.1:%d ssl;
                  ssl_certificate %s;
                  ssl_certificate_key %s;
                  ssl_client_certificate %s;
                  ssl_verify_client on;
                  location / {
                    proxy_pass http://app;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header X-Forwarded-Client-Cert "Subject=\\"$ssl_client_s_dn\\"";
                  }
                }
                """.formatted(appPort, inbound, pki.root.resolveSibling("server.pem"), pki.key("server"), pki.root));
             Nginx front = Nginx.start(work, "edge", NGINX_WORKERS, edge, """
                upstream peer { server 127.0.0.1:%d; keepalive 64; }
                server {
                  listen 127.0.0.1:%d ssl;
                  server_name %s bench.example.com;
                  ssl_certificate %s;
                  ssl_certificate_key %s;
                  ssl_protocols TLSv1.2 TLSv1.3;
                  location / {
                    proxy_pass https://peer;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host %s;
                    proxy_ssl_certificate %s;
                    proxy_ssl_certificate_key %s;
                    proxy_ssl_trusted_certificate %s;
                    proxy_ssl_verify on;
                    proxy_ssl_name server.bench;
                    proxy_ssl_session_reuse on;
                  }
                }
                """.formatted(inbound, edge, HOST, pki.root.resolveSibling("edge.pem"), pki.key("edge"), SERVICE,
                     pki.root.resolveSibling("client.pem"), pki.key("client"), pki.root))) {
            double idle = Rss.mib(front.handle());
            String url = "https://" + HOST + ":" + edge + "/";
            check(url);
            wrk.run(url, NAME, Duration.ofSeconds(5));
            try (Rss.Peak peak = new Rss.Peak(front.handle())) {
                Wrk.Result keepAlive = wrk.run(url, NAME, measure);
                wrk.run(url, NAME, Duration.ofSeconds(3), CLOSE);
                Wrk.Result handshakes = wrk.run(url, NAME, measure, CLOSE);
                nginxRate = keepAlive.requestsPerSecond();
                nginxHandshakes = handshakes.requestsPerSecond();
                record("nginx (TLS, " + NGINX_WORKERS + " workers) -> nginx (mutual TLS) -> app", keepAlive, handshakes,
                        String.format("%.0f / %.0f (edge nginx)", idle, peak.peakMib()));
            }
        }
    }

    private void gateway() throws Exception {
        Path folder = Files.createDirectories(work.resolve("mesh"));
        Path home = Files.createDirectories(work.resolve("home"));
        Path credentials = Files.createDirectories(work.resolve("credentials/bench-cert"));
        Files.copy(pki.root.resolveSibling("edge.pem"), credentials.resolve("tls.crt"));
        Files.copy(pki.key("edge"), credentials.resolve("tls.key"));
        Path token = work.resolve("token");
        Files.writeString(token, TOKEN);
        int serverInbound = SidecarPairBenchmark.freePort();
        int serverOutbound = SidecarPairBenchmark.freePort();
        int edge = SidecarPairBenchmark.freePort();
        Files.writeString(folder.resolve("mesh.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: app, namespace: bench}
                spec:
                  hosts: [%s]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: 9080, name: http, protocol: HTTP}]
                  workloadSelector: {labels: {app: app}}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: server
                  namespace: bench
                  annotations: {sidecar.gatemesh.dev/inboundPort: "%d", sidecar.gatemesh.dev/outboundPort: "%d"}
                spec:
                  address: 127.0.0.1
                  serviceAccount: server
                  labels: {app: app, version: v1}
                  ports: {http: %d}
                ---
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: ingress, namespace: istio-system}
                spec:
                  address: 127.0.0.1
                  serviceAccount: istio-ingressgateway
                  labels: {istio: ingressgateway, gatemesh: ingressgateway}
                ---
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: bench-gateway, namespace: istio-system}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: %d, name: https, protocol: HTTPS}
                    hosts: ["%s", "bench.example.com"]
                    tls: {mode: SIMPLE, credentialName: bench-cert}
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: app, namespace: bench}
                spec:
                  hosts: [%s]
                  gateways: [istio-system/bench-gateway]
                  http:
                  - route:
                    - destination: {host: %s, port: {number: 9080}}
                """.formatted(SERVICE, serverInbound, serverOutbound, appPort, edge, HOST, NAME, SERVICE));
        int port = SidecarPairBenchmark.freePort();
        ConfigurableApplicationContext configServer = BenchConfigServer.start(port, folder, home, TOKEN);
        try (BootJvm sidecar = SidecarPairBenchmark.startSidecar(work, sidecarJvm, "server", "app", port, home, token,
                serverOutbound, serverInbound, appPort)) {
            sidecar.awaitReady();
            ProxyHub hub = configServer.getBean(ProxyHub.class);
            for (String provider : System.getProperty("bench.providers", "JDK,OPENSSL").split(",")) {
                try (BootJvm gateway = startGateway(provider, port, home, token, credentials.getParent())) {
                    gateway.awaitReady();
                    Await.until(() -> hub.statuses().size() == 2 && hub.statuses().stream()
                            .allMatch(status -> status.state() == SyncState.SYNCED), "the gateway and the sidecar synced");
                    Await.until(() -> Nginx.accepts(edge), "the gateway's port " + edge + " is open");
                    measureGateway(provider, gateway, "https://" + HOST + ":" + edge + "/");
                    List<String> complaints = Files.readAllLines(gateway.log()).stream()
                            .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("Exception"))
                            .toList();
                    System.out.println("gateway (" + provider + ") log: " + complaints.size() + " WARN/ERROR/exception lines"
                            + (complaints.isEmpty() ? "" : ", first ones:\n" + String.join("\n",
                            complaints.subList(0, Math.min(10, complaints.size())))));
                }
                Await.until(() -> hub.statuses().size() == 1, "the gateway disconnected");
            }
        } finally {
            configServer.close();
        }
    }

    private void measureGateway(String provider, BootJvm gateway, String url) throws Exception {
        check(url);
        double idle = Rss.mib(gateway.handle());
        System.out.printf("warming the gateway (%s) and the sidecar up for %d s%n", provider, warmup.toSeconds());
        wrk.run(url, NAME, warmup);
        try (Rss.Peak peak = new Rss.Peak(gateway.handle())) {
            Wrk.Result keepAlive = wrk.run(url, NAME, measure);
            wrk.run(url, NAME, Duration.ofSeconds(10), CLOSE);
            Wrk.Result handshakes = wrk.run(url, NAME, measure, CLOSE);
            record("Gatemesh ingress gateway (TLS: " + provider + ") -> sidecar (mutual TLS) -> app", keepAlive, handshakes,
                    String.format("%.0f / %.0f (gateway JVM)", idle, peak.peakMib()));
            if (nginxRate > 0) {
                summary.add(String.format("gateway (%s) / nginx, keep-alive: %,.0f / %,.0f = %.2f (target >= 0.5); "
                        + "handshakes/s: %,.0f / %,.0f = %.2f", provider, keepAlive.requestsPerSecond(), nginxRate,
                        keepAlive.requestsPerSecond() / nginxRate, handshakes.requestsPerSecond(), nginxHandshakes,
                        handshakes.requestsPerSecond() / nginxHandshakes));
            }
        }
    }

    /** One request with curl (the certificate checked against the bench CA): the path answers 200 with the app's body. */
    private void check(String url) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder("curl", "-sS", "-i", "--cacert", pki.root.toString(), "-H",
                "Host: " + NAME, url).redirectErrorStream(true).start();
        String answer = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (curl.waitFor() != 0 || !answer.startsWith("HTTP/1.1 200") && !answer.startsWith("HTTP/2 200")
                || !answer.contains("hello from the app")) {
            throw new IllegalStateException("GET " + url + " did not answer 200 from the app:\n" + answer);
        }
    }

    private BootJvm startGateway(String provider, int controlPlane, Path home, Path token, Path credentials) throws IOException {
        int management = SidecarPairBenchmark.freePort();
        List<String> args = List.of("--server.port=" + SidecarPairBenchmark.freePort(), "--management.server.port=" + management,
                "--gatemesh.proxy.namespace=istio-system", "--gatemesh.proxy.service-account=istio-ingressgateway",
                "--gatemesh.proxy.workload=istio-system/ingress",
                "--gatemesh.proxy.control-plane=https://127.0.0.1:" + controlPlane,
                "--gatemesh.proxy.root-cert=" + home.resolve("root-cert.pem"), "--gatemesh.proxy.credential-file=" + token,
                "--gatemesh.proxy.gateway.host=127.0.0.1", "--gatemesh.proxy.gateway.tls-provider=" + provider,
                "--gatemesh.gateway.credentials.folder=" + credentials, "--logging.level.gatemesh.access=WARN");
        return BootJvm.start("gateway " + provider, gatewayJvm, "ingress-gateway/target/ingress-gateway-exec.jar", management,
                args, work.resolve("gateway-" + provider + ".log"));
    }

    private void record(String path, Wrk.Result keepAlive, Wrk.Result handshakes, String rss) {
        String row = String.format("| %s | %s | %,.0f (failed %d) | %s |", path, keepAlive.row(),
                handshakes.requestsPerSecond(), handshakes.failed(), rss);
        System.out.println(row);
        rows.add(row);
    }
}
