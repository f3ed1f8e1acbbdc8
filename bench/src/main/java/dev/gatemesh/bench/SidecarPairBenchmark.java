package dev.gatemesh.bench;

import dev.gatemesh.server.push.ProxyHub;
import dev.gatemesh.server.push.SyncState;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Data-plane throughput and latency in one run, all on loopback, loaded by wrk: an app (nginx answering
 * a 19-byte body) called directly; through a pair of Gatemesh sidecars (separate JVMs, the mesh-sidecar
 * jar as it ships) with mutual TLS between them; and through a pair of nginx reverse proxies doing the same
 * mutual TLS ({@code proxy_ssl_certificate} upstream, {@code ssl_verify_client} downstream, pooled
 * upstream connections on both sides). The sidecar pair alternates, three rounds, between a route table of
 * 1 service and one with 1,000 more services (with VirtualServices, DestinationRules, 5 endpoints each);
 * with {@code -Dbench.variant=resilience}, between no VirtualService or DestinationRule and a route timeout,
 * retries, a connection pool and outlier detection on the service. Reports each process's resident memory, idle and under load. Access logs are off on both proxies.
 *
 * <p>Run: {@code ./mvnw -q -B install -DskipTests && ./mvnw -q -B -pl bench exec:java
 * -Dexec.mainClass=dev.gatemesh.bench.SidecarPairBenchmark}. Settings (system properties):
 * {@code bench.seconds} (each measurement, default 30), {@code bench.warmup} (the sidecars' JIT warm-up under
 * load, default 90), {@code bench.sidecarJvm} (the sidecars' JVM options), {@code bench.sidecarJava} (the sidecars' Java home), {@code bench.sidecarArgs} (more sidecar settings), {@code bench.sidecarJar} (another
 * build's mesh-sidecar exec jar, to measure a baseline with the same harness), {@code bench.only} (some of
 * {@code direct,nginx,sidecar}).
 */
public final class SidecarPairBenchmark {

    private static final String TOKEN = "bench-token";
    private static final String SERVICE = "app.bench.svc.cluster.local";
    /** The JVM options the Helm chart and the README recommend for a sidecar. */
    static final String DEFAULT_SIDECAR_JVM = "-XX:+UseSerialGC -Xmx64m -Xss512k -XX:ReservedCodeCacheSize=64m "
            + "-XX:MaxDirectMemorySize=64m -XX:+ExitOnOutOfMemoryError";

    /** Worker processes of each nginx of the pair (as many as the sidecars' event loops by default). */
    private static final int NGINX_WORKERS = Integer.getInteger("bench.nginxWorkers", 2);

    private final Path work;
    private final Duration measure = Duration.ofSeconds(Long.getLong("bench.seconds", 30));
    private final Duration warmup = Duration.ofSeconds(Long.getLong("bench.warmup", 90));
    private final String sidecarJvm = System.getProperty("bench.sidecarJvm", DEFAULT_SIDECAR_JVM);
    private final Wrk wrk = new Wrk(2, 50);
    private final List<String> rows = new ArrayList<>();
    private final List<String> memory = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();
    private double nginxPairRate;
    private static final int ROUNDS = 3;
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private final int appPort = freePort();

    private SidecarPairBenchmark(Path work) throws IOException {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("gatemesh-bench-pair");
        SidecarPairBenchmark bench = new SidecarPairBenchmark(work);
        System.out.printf("Sidecar pair vs nginx pair: %s, %d s per measurement, sidecar warm-up %d s, %d cores, %s%n",
                bench.wrk.describe(), bench.measure.toSeconds(), bench.warmup.toSeconds(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        System.out.println("Sidecar JVM options: " + bench.sidecarJvm + "; settings: "
                + System.getProperty("bench.sidecarArgs", "(defaults)"));
        try (Nginx app = Nginx.start(work, "app", 1, bench.appPort, """
                server {
                  listen 127.0.0.1:%d;
                  location / { return 200 "hello from the app\\n"; }
                }
                """.formatted(bench.appPort))) {
            String only = System.getProperty("bench.only", "direct,nginx,sidecar");
            if (only.contains("direct")) {
                bench.direct();
            }
            if (only.contains("nginx")) {
                bench.nginxPair();
            }
            if (only.contains("sidecar")) {
                bench.sidecarPair();
            }
        }
        System.out.println();
        System.out.println("| path | req/s | p50 ms | p90 ms | p99 ms | failed |");
        System.out.println("|---|---|---|---|---|---|");
        bench.rows.forEach(System.out::println);
        System.out.println();
        System.out.println("| process | RSS idle MiB | RSS peak under load MiB |");
        System.out.println("|---|---|---|");
        bench.memory.forEach(System.out::println);
        System.out.println();
        bench.summary.forEach(System.out::println);
        System.exit(0);
    }

    private void direct() throws Exception {
        String url = "http://127.0.0.1:" + appPort + "/";
        wrk.run(url, null, Duration.ofSeconds(5));
        record("direct: wrk -> app", wrk.run(url, null, measure));
    }

    private void nginxPair() throws Exception {
        OpensslPki pki = OpensslPki.create(work.resolve("pki"));
        Path client = pki.issue("client");
        Path server = pki.issue("server");
        int inbound = freePort();
        int outbound = freePort();
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
                """.formatted(appPort, inbound, server, pki.key("server"), pki.root));
             Nginx out = Nginx.start(work, "outbound", NGINX_WORKERS, outbound, """
                upstream peer { server 127.0.0.1:%d; keepalive 64; }
                server {
                  listen 127.0.0.1:%d;
                  location / {
                    proxy_pass https://peer;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_ssl_certificate %s;
                    proxy_ssl_certificate_key %s;
                    proxy_ssl_trusted_certificate %s;
                    proxy_ssl_verify on;
                    proxy_ssl_name server.bench;
                    proxy_ssl_session_reuse on;
                  }
                }
                """.formatted(inbound, outbound, client, pki.key("client"), pki.root))) {
            double outIdle = Rss.mib(out.handle());
            double inIdle = Rss.mib(in.handle());
            String url = "http://127.0.0.1:" + outbound + "/";
            wrk.run(url, SERVICE, Duration.ofSeconds(10));
            try (Rss.Peak outPeak = new Rss.Peak(out.handle()); Rss.Peak inPeak = new Rss.Peak(in.handle())) {
                nginxPairRate = record("nginx pair, mutual TLS: wrk -> nginx -> nginx -> app", wrk.run(url, SERVICE, measure))
                        .requestsPerSecond();
                memory.add(String.format("| nginx outbound (master + " + NGINX_WORKERS + " workers) | %.0f | %.0f |", outIdle, outPeak.peakMib()));
                memory.add(String.format("| nginx inbound (master + " + NGINX_WORKERS + " workers) | %.0f | %.0f |", inIdle, inPeak.peakMib()));
            }
        }
    }

    private void sidecarPair() throws Exception {
        Path folder = Files.createDirectories(work.resolve("mesh"));
        Path home = Files.createDirectories(work.resolve("home"));
        Path token = work.resolve("token");
        Files.writeString(token, TOKEN);
        int clientOutbound = freePort();
        int clientInbound = freePort();
        int serverInbound = freePort();
        int serverOutbound = freePort();
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
                metadata:
                  name: client
                  namespace: bench
                  annotations: {sidecar.gatemesh.dev/inboundPort: "%d", sidecar.gatemesh.dev/outboundPort: "%d"}
                spec:
                  address: 127.0.0.1
                  serviceAccount: client
                  labels: {app: client, version: v1}
                """.formatted(SERVICE, serverInbound, serverOutbound, appPort, clientInbound, clientOutbound));
        int port = freePort();
        ConfigurableApplicationContext configServer = BenchConfigServer.start(port, folder, home, TOKEN);
        try (BootJvm server = startSidecar(work, sidecarJvm, "server", "app", port, home, token, serverOutbound, serverInbound, appPort);
             BootJvm client = startSidecar(work, sidecarJvm, "client", "client", port, home, token, clientOutbound, clientInbound,
                     freePort())) {
            server.awaitReady();
            client.awaitReady();
            ProxyHub hub = configServer.getBean(ProxyHub.class);
            Await.until(() -> synced(hub, Map.of()), "both sidecars synced");
            double clientIdle = Rss.mib(client.handle());
            double serverIdle = Rss.mib(server.handle());
            String url = "http://127.0.0.1:" + clientOutbound + "/";
            System.out.printf("warming the sidecars up for %d s%n", warmup.toSeconds());
            wrk.run(url, SERVICE + ":9080", warmup);
            // The table sizes alternate, three rounds each, so that JIT warm-up still going on and drift between
            // measurements weigh on both sides alike; the comparison is of the medians.
            List<Double> base = new ArrayList<>();
            List<Double> varied = new ArrayList<>();
            boolean resilience = "resilience".equals(System.getProperty("bench.variant"));
            String baseLabel = resilience ? "Gatemesh sidecar pair, mutual TLS: no VirtualService or DestinationRule (Istio's default retries)"
                    : "Gatemesh sidecar pair, mutual TLS: wrk -> sidecar -> sidecar -> app; route table: 1 service";
            String variantLabel = resilience ? "Gatemesh sidecar pair, mutual TLS: timeout + retries + outlier detection + connection pool"
                    : "Gatemesh sidecar pair, mutual TLS; route table: 1,001 services, 5,000 more endpoints";
            String variant = resilience ? resilienceConfig() : SnapshotBuildBenchmark.generate(1000);
            try (Rss.Peak clientPeak = new Rss.Peak(client.handle()); Rss.Peak serverPeak = new Rss.Peak(server.handle())) {
                for (int round = 1; round <= ROUNDS; round++) {
                    base.add(record(baseLabel + " (round " + round + ")", wrk.run(url, SERVICE + ":9080", measure))
                            .requestsPerSecond());
                    Map<String, String> before = versions(hub);
                    Files.writeString(folder.resolve("more.yaml"), variant);
                    Await.until(() -> synced(hub, before), "both sidecars applied the variant");
                    wrk.run(url, SERVICE + ":9080", SETTLE);
                    varied.add(record(variantLabel + " (round " + round + ")", wrk.run(url, SERVICE + ":9080", measure))
                            .requestsPerSecond());
                    Map<String, String> during = versions(hub);
                    Files.delete(folder.resolve("more.yaml"));
                    Await.until(() -> synced(hub, during), "both sidecars back to the base");
                    wrk.run(url, SERVICE + ":9080", SETTLE);
                }
                memory.add(String.format("| Gatemesh sidecar, client side (JVM) | %.0f | %.0f |", clientIdle, clientPeak.peakMib()));
                memory.add(String.format("| Gatemesh sidecar, server side (JVM) | %.0f | %.0f |", serverIdle, serverPeak.peakMib()));
            }
            double baseRate = Stats.of(base).percentile(50);
            double variedRate = Stats.of(varied).percentile(50);
            summary.add(resilience
                    ? String.format("sidecar pair, median of %d rounds: %,.0f req/s without resilience settings, %,.0f req/s with "
                    + "timeout + retries + outlier detection + connection pool: ratio %.2f (target >= 0.9)", ROUNDS, baseRate, variedRate,
                    variedRate / baseRate)
                    : String.format("sidecar pair, median of %d rounds: %,.0f req/s with 1 service, %,.0f req/s with 1,001 "
                    + "services: ratio %.2f (target >= 0.9)", ROUNDS, baseRate, variedRate, variedRate / baseRate));
            if (nginxPairRate > 0) {
                summary.add(String.format("sidecar pair (median, 1 service) / nginx pair: %,.0f / %,.0f = %.2f (target >= 0.5)",
                        baseRate, nginxPairRate, baseRate / nginxPairRate));
            }
        } finally {
            configServer.close();
        }
    }

    /** The resilience settings of issue "Resilience" on the benchmark's service, none of them triggered by healthy traffic. */
    private static String resilienceConfig() {
        return """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: app, namespace: bench}
                spec:
                  hosts: [%s]
                  http:
                  - timeout: 5s
                    retries: {attempts: 3, perTryTimeout: 2s, retryOn: "5xx,reset,connect-failure"}
                    route:
                    - destination: {host: %s}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: app, namespace: bench}
                spec:
                  host: %s
                  trafficPolicy:
                    connectionPool:
                      tcp: {maxConnections: 1000}
                      http: {http1MaxPendingRequests: 1000, http2MaxRequests: 1000, maxRetries: 10}
                    outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 100}
                """.formatted(SERVICE, SERVICE, SERVICE);
    }

    private static Map<String, String> versions(ProxyHub hub) {
        Map<String, String> versions = new HashMap<>();
        hub.statuses().forEach(status -> versions.put(status.node().id(), status.ackedVersion()));
        return versions;
    }

    /** Both sidecars connected, in sync, and each on a version other than the one in {@code before}. */
    private static boolean synced(ProxyHub hub, Map<String, String> before) {
        var statuses = hub.statuses();
        return statuses.size() == 2 && statuses.stream().allMatch(status -> status.state() == SyncState.SYNCED
                && status.ackedVersion() != null && !status.ackedVersion().equals(before.get(status.node().id())));
    }

    private Wrk.Result record(String path, Wrk.Result result) {
        String row = "| " + path + " | " + result.row() + " |";
        System.out.println(row);
        rows.add(row);
        return result;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A mesh-sidecar JVM, as it ships (the exec jar), with the benchmark's JVM options. */
    static BootJvm startSidecar(Path work, String jvmOptions, String name, String app, int controlPlane, Path home, Path token,
                                int outbound, int inbound, int appPort) throws IOException {
        int management = freePort();
        List<String> args = new ArrayList<>(List.of("--server.port=" + management,
                "--gatemesh.proxy.id=" + name, "--gatemesh.proxy.namespace=bench", "--gatemesh.proxy.service-account=" + name,
                "--gatemesh.proxy.labels.app=" + app, "--gatemesh.proxy.labels.version=v1",
                "--gatemesh.proxy.workload=bench/" + name, "--gatemesh.proxy.control-plane=https://127.0.0.1:" + controlPlane,
                "--gatemesh.proxy.root-cert=" + home.resolve("root-cert.pem"), "--gatemesh.proxy.credential-file=" + token,
                "--gatemesh.proxy.outbound.port=" + outbound, "--gatemesh.proxy.inbound.host=127.0.0.1",
                "--gatemesh.proxy.inbound.port=" + inbound, "--gatemesh.proxy.app.ports=" + appPort,
                "--logging.level.gatemesh.access=WARN"));
        String extra = System.getProperty("bench.sidecarArgs", "").trim();
        if (!extra.isEmpty()) {
            args.addAll(List.of(extra.split("\\s+")));
        }
        return BootJvm.start("sidecar " + name, jvmOptions, System.getProperty("bench.sidecarJar",
                        "mesh-sidecar/target/mesh-sidecar-exec.jar"), management, args,
                work.resolve("sidecar-" + name + ".log"));
    }
}
