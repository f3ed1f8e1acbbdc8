package dev.gatemesh.server;

import dev.gatemesh.api.testing.FreePorts;
import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.proxy.runtime.MeshProxy;
import dev.gatemesh.proxy.runtime.SidecarSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A small mesh on loopback: a config server reading a folder written here, apps that answer with their
 * name (and echo who called them), and a sidecar per app with its own ports and identity.
 */
final class LocalMesh implements AutoCloseable {

    /** A workload: its app's port and its sidecar's inbound and outbound ports. */
    record Workload(String name, String app, String version, String serviceAccount, int appPort, int inboundPort,
                    int outboundPort) {
    }

    final Path folder;
    final Path home;
    final Map<String, Workload> workloads = new LinkedHashMap<>();
    private final List<DisposableServer> apps = new ArrayList<>();
    private final Map<String, MeshProxy> sidecars = new LinkedHashMap<>();
    final Map<String, SimpleMeterRegistry> metrics = new LinkedHashMap<>();
    RunningConfigServer server;

    LocalMesh(Path folder, Path home) {
        this.folder = folder;
        this.home = home;
    }

    /**
     * A gateway (namespace istio-system, labels istio/gatemesh: ingressgateway or egressgateway) and its WorkloadEntry.
     *
     * @param ports the gateway's ports by name, for the ServiceEntry that makes an egress gateway reachable from sidecars
     */
    record Gateway(String name, String serviceAccount, ProxyRole role, Map<String, Integer> ports) {
        String label() {
            return role == ProxyRole.EGRESS_GATEWAY ? "egressgateway" : "ingressgateway";
        }
    }

    final Map<String, Gateway> gateways = new LinkedHashMap<>();

    LocalMesh gateway(String name) {
        gateways.put(name, new Gateway(name, "istio-ingressgateway-service-account", ProxyRole.INGRESS_GATEWAY, Map.of()));
        return this;
    }

    /** An egress gateway listening on {@code ports} (by port name), reachable from sidecars as {@code <name>.istio-system}. */
    LocalMesh egressGateway(String name, Map<String, Integer> ports) {
        gateways.put(name, new Gateway(name, "istio-egressgateway-service-account", ProxyRole.EGRESS_GATEWAY, ports));
        return this;
    }

    LocalMesh workload(String name, String app, String version) throws IOException {
        workloads.put(name, new Workload(name, app, version, "bookinfo-" + app, FreePorts.next(), FreePorts.next(), FreePorts.next()));
        return this;
    }

    /** Services (one per app, port 9080) and WorkloadEntries for every workload, plus more YAML. */
    LocalMesh writeConfig(String extra) throws IOException {
        StringBuilder yaml = new StringBuilder();
        workloads.values().stream().map(Workload::app).distinct().forEach(app -> yaml.append("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: %s
                  namespace: bookinfo
                spec:
                  hosts:
                  - %s.bookinfo.svc.cluster.local
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports:
                  - number: 9080
                    name: http
                    protocol: HTTP
                  workloadSelector:
                    labels:
                      app: %s
                ---
                """.formatted(app, app, app)));
        for (Workload workload : workloads.values()) {
            yaml.append("""
                    apiVersion: networking.istio.io/v1
                    kind: WorkloadEntry
                    metadata:
                      name: %s
                      namespace: bookinfo
                      annotations:
                        sidecar.gatemesh.dev/inboundPort: "%d"
                        sidecar.gatemesh.dev/outboundPort: "%d"
                    spec:
                      address: 127.0.0.1
                      serviceAccount: %s
                      labels:
                        app: %s
                        version: %s
                      ports:
                        http: %d
                    ---
                    """.formatted(workload.name(), workload.inboundPort(), workload.outboundPort(), workload.serviceAccount(),
                    workload.app(), workload.version(), workload.appPort()));
        }
        for (Gateway gateway : gateways.values()) {
            StringBuilder ports = new StringBuilder();
            StringBuilder servicePorts = new StringBuilder();
            gateway.ports().forEach((name, port) -> {
                ports.append("\n    ").append(name).append(": ").append(port);
                servicePorts.append("\n  - number: ").append(port).append("\n    name: ").append(name);
            });
            yaml.append("""
                    apiVersion: networking.istio.io/v1
                    kind: WorkloadEntry
                    metadata:
                      name: %s
                      namespace: istio-system
                    spec:
                      address: 127.0.0.1
                      serviceAccount: %s
                      labels:
                        istio: %s
                        gatemesh: %s
                        app: %s
                    """.formatted(gateway.name(), gateway.serviceAccount(), gateway.label(), gateway.label(), gateway.name()));
            if (!gateway.ports().isEmpty()) {
                yaml.append("  ports:").append(ports).append("\n---\n").append("""
                        apiVersion: networking.istio.io/v1
                        kind: ServiceEntry
                        metadata:
                          name: %s
                          namespace: istio-system
                        spec:
                          hosts:
                          - %s.istio-system.svc.cluster.local
                          location: MESH_INTERNAL
                          resolution: STATIC
                          workloadSelector:
                            labels:
                              app: %s
                          ports:""".formatted(gateway.name(), gateway.name(), gateway.name())).append(servicePorts).append("\n");
            }
            yaml.append("---\n");
        }
        Files.writeString(folder.resolve("mesh.yaml"), yaml.toString());
        Files.writeString(folder.resolve("policy.yaml"), extra);
        return this;
    }

    LocalMesh startServer() throws IOException {
        server = new RunningConfigServer(folder, home);
        Files.writeString(home.resolve("token"), RunningConfigServer.TOKEN);
        return this;
    }

    /** The workload's name; for {@code /bytes/<n>}, n deterministic bytes (a large, streamed response). */
    static byte[] answer(Workload workload, String uri) {
        if (uri.startsWith("/bytes/")) {
            return bytes(Integer.parseInt(uri.substring("/bytes/".length())));
        }
        return workload.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        new java.util.SplittableRandom(n).nextBytes(bytes);
        return bytes;
    }

    static String crc(byte[] bytes) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes);
        return Long.toHexString(crc.getValue());
    }

    /**
     * The app answers {@code <workload name>}, and says who called it ({@code x-seen-xfcc}), which path it saw
     * ({@code x-seen-path}) and what body it received ({@code x-seen-body}).
     */
    LocalMesh startApps() {
        for (Workload workload : workloads.values()) {
            if (customApps.contains(workload.name())) {
                continue;
            }
            apps.add(HttpServer.create().host("127.0.0.1").port(workload.appPort())
                    .handle((request, response) -> request.requestHeaders().containsValue("upgrade", "websocket", true)
                            ? response.sendWebsocket((in, out) -> out.sendString(in.receive().asString()
                                    .map(text -> workload.name() + " echoes " + text + " to "
                                            + request.requestHeaders().get("x-forwarded-client-cert"))))
                            : request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                            .flatMap(body -> response
                                    .header("x-seen-xfcc", String.valueOf(request.requestHeaders().get("x-forwarded-client-cert")))
                                    .header("x-seen-path", request.uri())
                                    .header("x-seen-body", body.length + " bytes, crc " + crc(body))
                                    .header("x-seen-user", String.valueOf(request.requestHeaders().get("x-user")))
                                    .header("x-seen-authorization", String.valueOf(request.requestHeaders().get("authorization")))
                                    .sendByteArray(Mono.just(answer(workload, request.uri()))).then()))
                    .bindNow());
        }
        return this;
    }

    private final java.util.Set<String> customApps = new java.util.HashSet<>();

    /**
     * Starts the workload's app with a handler of the test's own (a failing, slow or recording app); call it before
     * {@link #startApps}, which then leaves that workload alone.
     */
    LocalMesh startAppWith(String workload, java.util.function.BiFunction<? super reactor.netty.http.server.HttpServerRequest,
            ? super reactor.netty.http.server.HttpServerResponse, ? extends org.reactivestreams.Publisher<Void>> handler) {
        customApps.add(workload);
        apps.add(HttpServer.create().host("127.0.0.1").port(workloads.get(workload).appPort()).handle(handler).bindNow());
        return this;
    }

    MeshProxy startSidecar(String name, RouteTable.OutboundPolicy policy) throws InterruptedException {
        return startSidecar(name, policy, new java.util.SplittableRandom());
    }

    /** A sidecar whose VirtualService faults are drawn with {@code faultRandom}. */
    MeshProxy startSidecar(String name, RouteTable.OutboundPolicy policy, java.util.random.RandomGenerator faultRandom)
            throws InterruptedException {
        Workload workload = workloads.get(name);
        ProxyNode node = new ProxyNode(name, ProxyRole.SIDECAR, "bookinfo", workload.serviceAccount(),
                Map.of("app", workload.app(), "version", workload.version()));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.put(name, registry);
        SidecarSettings settings = new SidecarSettings(node, LoadOptions.DEFAULTS, URI.create("https://127.0.0.1:" + server.port),
                home.resolve("root-cert.pem"), home.resolve("token"), "bookinfo/" + name, null, "127.0.0.1",
                workload.outboundPort(), "127.0.0.1", workload.inboundPort(), "127.0.0.1", List.of(workload.appPort()), policy, 1);
        MeshProxy sidecar = new MeshProxy(settings, registry, Clock.systemUTC()).faultRandom(faultRandom).start();
        sidecars.put(name, sidecar);
        return sidecar;
    }

    /** Starts a gateway (ingress or egress, as declared) whose ports listen on loopback. */
    MeshProxy startGateway(String name, dev.gatemesh.proxy.credentials.CredentialSource credentials,
                             dev.gatemesh.proxy.gateway.RateLimitCheck rateLimits) throws InterruptedException {
        Gateway gateway = gateways.get(name);
        ProxyNode node = new ProxyNode(name, gateway.role(), "istio-system", gateway.serviceAccount(),
                Map.of("istio", gateway.label(), "gatemesh", gateway.label(), "app", name));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.put(name, registry);
        SidecarSettings settings = new SidecarSettings(node, LoadOptions.DEFAULTS, URI.create("https://127.0.0.1:" + server.port),
                home.resolve("root-cert.pem"), home.resolve("token"), "istio-system/" + name, null, "127.0.0.1", 0,
                "127.0.0.1", 0, "127.0.0.1", List.of(1), RouteTable.OutboundPolicy.REGISTRY_ONLY, 1);
        MeshProxy proxy = new MeshProxy(settings,
                new dev.gatemesh.proxy.gateway.GatewaySettings("127.0.0.1", credentials, rateLimits), registry, Clock.systemUTC())
                .start();
        sidecars.put(name, proxy);
        return proxy;
    }

    /** What a call through a sidecar answered. */
    record Reply(int status, String body, io.netty.handler.codec.http.HttpHeaders headers) {
    }

    private final reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create();

    /**
     * What an app does when it calls {@code http://<host><path>}: the request goes to its sidecar's outbound
     * port with the service in the Host header.
     */
    Reply call(String from, String host, String path, Map<String, String> headers) {
        return send(from, io.netty.handler.codec.http.HttpMethod.GET, host, path, headers);
    }

    Reply send(String from, io.netty.handler.codec.http.HttpMethod method, String host, String path, Map<String, String> headers) {
        return send(from, method, host, path, headers, null);
    }

    /** The same with a request body ({@code null}: none). */
    Reply send(String from, io.netty.handler.codec.http.HttpMethod method, String host, String path, Map<String, String> headers,
               byte[] requestBody) {
        return client.headers(h -> {
                    h.set("Host", host);
                    headers.forEach(h::set);
                })
                .request(method).uri("http://127.0.0.1:" + workloads.get(from).outboundPort() + path)
                .send(requestBody == null ? (request, out) -> out : (request, out) -> out.sendByteArray(Mono.just(requestBody)))
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> new Reply(response.status().code(), text, response.responseHeaders())))
                .block(java.time.Duration.ofSeconds(10));
    }

    MeshProxy sidecar(String name) {
        return sidecars.get(name);
    }

    @Override
    public void close() {
        sidecars.values().forEach(MeshProxy::close);
        apps.forEach(DisposableServer::disposeNow);
        if (server != null) {
            server.close();
        }
    }
}
