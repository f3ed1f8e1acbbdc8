package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.testing.FreePorts;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatemesh.ca.pki.Pem;
import dev.gatemesh.proxy.egress.EgressAudit;
import dev.gatemesh.proxy.gateway.FileCredentialSource;
import dev.gatemesh.proxy.gateway.RateLimitCheck;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.proxy.runtime.MeshProxy;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Controlled egress end to end on loopback, as in Istio's egress-gateway tasks: sidecars under REGISTRY_ONLY (mesh-wide
 * from the root namespace's Sidecar) refuse undeclared hosts, a workload's own Sidecar may allow any; declared external
 * hosts go sidecar -> egress gateway over mutual TLS -> the external server over TLS the gateway originates and
 * verifies (SIMPLE with caCertificates, MUTUAL with a client certificate from credentialName). Local HTTPS servers
 * with CAs of their own stand in for the outside. The gateway's AuthorizationPolicy decides by caller and host, every
 * request it sees leaves one audit line, and it is no open relay.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EgressGatewayIntegrationTests {

    private static final String CLIENT_PRINCIPAL = "cluster.local/ns/bookinfo/sa/bookinfo-client";
    private static final String LEGACY_PRINCIPAL = "cluster.local/ns/bookinfo/sa/bookinfo-legacy";

    @TempDir
    static Path folder;
    @TempDir
    static Path home;
    private LocalMesh mesh;
    private MeshProxy gateway;
    private FileCredentialSource credentials;
    private final List<DisposableServer> externals = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> externalRequests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger plainRequests = new AtomicInteger();
    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
    private int tlsPort;
    private int httpPort;
    private int plainPort;

    @BeforeAll
    void start() throws Exception {
        EdgeCertificates externalCa = EdgeCertificates.authority("External CA");
        EdgeCertificates rogueCa = EdgeCertificates.authority("Rogue CA");
        EdgeCertificates partnerClients = EdgeCertificates.authority("Partner client CA");
        Path externalCaFile = Files.writeString(home.resolve("external-ca.pem"), Pem.encode(externalCa.certificate()));
        int apiPort = startExternal("api", externalCa.issue("api.external.test"), null);
        int partnerPort = startExternal("partner", externalCa.issue("partner.external.test"), partnerClients);
        int roguePort = startExternal("rogue", rogueCa.issue("rogue.external.test"), null);
        plainPort = FreePorts.next();
        externals.add(HttpServer.create().host("127.0.0.1").port(plainPort).handle((in, out) -> {
            plainRequests.incrementAndGet();
            return out.sendString(Mono.just("plain " + in.uri()));
        }).bindNow());
        credentials = new FileCredentialSource(home.resolve("credentials"), Duration.ofMillis(50), Duration.ofSeconds(2)).start();
        // The gateway's client certificate for the partner, with the CA that signs the partner's server certificate.
        partnerClients.issue("gatemesh-egress").writeCredential(home.resolve("credentials"), "partner-client", externalCa);
        await().atMost(WAIT).until(() -> credentials.get("partner-client") != null);

        tlsPort = FreePorts.next();
        httpPort = FreePorts.next();
        mesh = new LocalMesh(folder, home).workload("client-v1", "client", "v1").workload("legacy-v1", "legacy", "v1")
                .egressGateway("istio-egressgateway", Map.of("tls", tlsPort, "http", httpPort));
        mesh.writeConfig(config(apiPort, partnerPort, roguePort, externalCaFile)).startServer().startApps();
        ((Logger) LoggerFactory.getLogger(EgressAudit.LOGGER)).addAppender(audit);
        audit.start();
        mesh.startSidecar("client-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        mesh.startSidecar("legacy-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        gateway = mesh.startGateway("istio-egressgateway", credentials, RateLimitCheck.NONE);
        await().atMost(WAIT).until(() -> mesh.sidecar("client-v1").isReady() && mesh.sidecar("legacy-v1").isReady()
                && gateway.isReady() && gateway.gatewayPorts().openPorts().size() == 2);
    }

    /** An HTTPS server standing in for an external service: it answers who it is and what it received. */
    private int startExternal(String name, EdgeCertificates certificate, EdgeCertificates clientCa) throws IOException {
        int port = FreePorts.next();
        SslContextBuilder tls = SslContextBuilder.forServer(certificate.key(), certificate.certificate());
        if (clientCa != null) {
            tls.trustManager(clientCa.certificate()).clientAuth(ClientAuth.REQUIRE);
        }
        var context = tls.build();
        externals.add(HttpServer.create().host("127.0.0.1").port(port).secure(spec -> spec.sslContext(context))
                .handle((in, out) -> in.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap(body -> {
                    externalRequests.add(name + " " + in.method() + " " + in.uri() + " " + body.length + " bytes, host "
                            + in.requestHeaders().get("host") + ", traceparent " + in.requestHeaders().get("traceparent"));
                    int size = in.uri().startsWith("/bytes/") ? Integer.parseInt(in.uri().substring("/bytes/".length())) : 0;
                    return out.header("x-external", name).sendByteArray(Mono.just(size > 0 ? LocalMesh.bytes(size)
                            : (name + " over TLS").getBytes(StandardCharsets.UTF_8))).then();
                }))
                .bindNow());
        return port;
    }

    /** The mesh's egress configuration, written as in Istio's egress-gateway and TLS-origination tasks. */
    private String config(int apiPort, int partnerPort, int roguePort, Path externalCaFile) {
        StringBuilder yaml = new StringBuilder("""
                # Mesh-wide: only declared hosts.
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata:
                  name: default
                  namespace: gatemesh-system
                spec:
                  outboundTrafficPolicy:
                    mode: REGISTRY_ONLY
                ---
                # One workload keeps the old, open behaviour.
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata:
                  name: legacy
                  namespace: bookinfo
                spec:
                  workloadSelector:
                    labels:
                      app: legacy
                  outboundTrafficPolicy:
                    mode: ALLOW_ANY
                ---
                # An external host resolved by DNS, reached directly.
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: localhost
                  namespace: bookinfo
                spec:
                  hosts:
                  - localhost
                  location: MESH_EXTERNAL
                  resolution: DNS
                  ports:
                  - number: %d
                    name: http
                    protocol: HTTP
                ---
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: istio-egressgateway
                  namespace: istio-system
                spec:
                  selector:
                    istio: egressgateway
                  servers:
                  - port:
                      number: %d
                      name: tls
                      protocol: HTTPS
                    hosts:
                    - api.external.test
                    - partner.external.test
                    - rogue.external.test
                    tls:
                      mode: ISTIO_MUTUAL
                  - port:
                      number: %d
                      name: http
                      protocol: HTTP
                    hosts:
                    - api.external.test
                ---
                # Sidecars reach the gateway over mutual TLS; the SNI picks its server.
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: egressgateway
                  namespace: istio-system
                spec:
                  host: istio-egressgateway.istio-system.svc.cluster.local
                  trafficPolicy:
                    portLevelSettings:
                    - port:
                        number: %d
                      tls:
                        mode: ISTIO_MUTUAL
                        sni: api.external.test
                ---
                # The gateway lets the client workload out, and nobody else.
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: egress-callers
                  namespace: istio-system
                spec:
                  selector:
                    matchLabels:
                      istio: egressgateway
                  action: ALLOW
                  rules:
                  - from:
                    - source:
                        principals:
                        - %s
                    to:
                    - operation:
                        hosts:
                        - api.external.test
                        - partner.external.test
                        - rogue.external.test
                ---
                """.formatted(plainPort, tlsPort, httpPort, tlsPort, CLIENT_PRINCIPAL));
        record External(String name, int port, String tls) {
        }
        for (External external : List.of(
                new External("api", apiPort, "mode: SIMPLE\n        caCertificates: " + externalCaFile),
                new External("partner", partnerPort, "mode: MUTUAL\n        credentialName: partner-client"),
                new External("rogue", roguePort, "mode: SIMPLE\n        caCertificates: " + externalCaFile))) {
            yaml.append("""
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata:
                      name: %1$s
                      namespace: istio-system
                    spec:
                      hosts:
                      - %1$s.external.test
                      location: MESH_EXTERNAL
                      resolution: STATIC
                      ports:
                      - number: 80
                        name: http
                        protocol: HTTP
                      - number: 443
                        name: https
                        protocol: HTTPS
                      endpoints:
                      - address: 127.0.0.1
                        ports:
                          https: %2$d
                    ---
                    # Mesh traffic for the host goes to the egress gateway; from there to the host on 443.
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata:
                      name: %1$s-through-egress
                      namespace: istio-system
                    spec:
                      hosts:
                      - %1$s.external.test
                      gateways:
                      - mesh
                      - istio-egressgateway
                      http:
                      - match:
                        - gateways:
                          - mesh
                        route:
                        - destination:
                            host: istio-egressgateway.istio-system.svc.cluster.local
                            port:
                              number: %3$d
                      - match:
                        - gateways:
                          - istio-egressgateway
                        route:
                        - destination:
                            host: %1$s.external.test
                            port:
                              number: 443
                    ---
                    # The gateway originates TLS to the host on 443, verifying its certificate.
                    apiVersion: networking.istio.io/v1
                    kind: DestinationRule
                    metadata:
                      name: originate-tls-%1$s
                      namespace: istio-system
                    spec:
                      host: %1$s.external.test
                      trafficPolicy:
                        portLevelSettings:
                        - port:
                            number: 443
                          tls:
                            %4$s
                    ---
                    """.formatted(external.name(), external.port(), tlsPort, external.tls()));
        }
        return yaml.toString();
    }

    @AfterAll
    void stop() {
        ((Logger) LoggerFactory.getLogger(EgressAudit.LOGGER)).detachAppender(audit);
        if (mesh != null) {
            mesh.close();
        }
        if (credentials != null) {
            credentials.close();
        }
        externals.forEach(DisposableServer::disposeNow);
    }

    @Test
    void registryOnlyRefusesAnUndeclaredHostWith502NamingItAndSendsNothing() {
        int before = plainRequests.get();

        LocalMesh.Reply reply = mesh.call("client-v1", "127.0.0.1:" + plainPort, "/secrets", Map.of());

        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.body()).contains("the host 127.0.0.1 is not declared").contains("REGISTRY_ONLY")
                .contains("from Sidecar gatemesh-system/default").contains("nothing was sent");
        assertThat(plainRequests.get()).isEqualTo(before);
    }

    @Test
    void registryOnlyLetsADeclaredExternalHostThroughResolvedByDns() {
        LocalMesh.Reply reply = mesh.call("client-v1", "localhost:" + plainPort, "/declared", Map.of());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("plain /declared");
    }

    @Test
    void aWorkloadSidecarWithAllowAnyPassesAnUndeclaredHostThrough() {
        LocalMesh.Reply reply = mesh.call("legacy-v1", "127.0.0.1:" + plainPort, "/anything", Map.of());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("plain /anything");
    }

    @Test
    void plainHttpFromTheAppLeavesThroughTheGatewayAsVerifiedTls() {
        LocalMesh.Reply reply = mesh.call("client-v1", "api.external.test", "/status", Map.of());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("api over TLS");
        assertThat(externalRequests).anyMatch(line -> line.startsWith("api GET /status 0 bytes, host api.external.test"));
        // The gateway knew the caller by its mesh certificate: the sidecar reached it over mutual TLS.
        await().atMost(WAIT).untilAsserted(() -> assertThat(auditLines())
                .anyMatch(line -> line.contains("\"path\":\"/status\"")
                        && line.contains("\"source_principal\":\"" + CLIENT_PRINCIPAL + "\"")));
    }

    @Test
    void mutualTlsOriginationPresentsTheCredentialsClientCertificate() {
        LocalMesh.Reply reply = mesh.call("client-v1", "partner.external.test", "/orders", Map.of());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("partner over TLS");
    }

    @Test
    void anExternalServerWhoseCertificateTheCaDoesNotSignIsRefusedAndGetsNothing() {
        LocalMesh.Reply reply = mesh.call("client-v1", "rogue.external.test", "/steal", Map.of());

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.body()).contains("upstream connect error");
        assertThat(externalRequests).noneMatch(line -> line.startsWith("rogue "));
    }

    @Test
    void theGatewaysAuthorizationPolicyDeniesAnotherWorkloadWith403NamingThePolicy() {
        LocalMesh.Reply reply = mesh.call("legacy-v1", "api.external.test", "/status", Map.of());

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.body()).contains("istio-system/egress-callers");
        await().atMost(WAIT).untilAsserted(() -> assertThat(auditLines())
                .anyMatch(line -> line.contains("\"source_principal\":\"" + LEGACY_PRINCIPAL + "\"")
                        && line.contains("\"status\":403")));
    }

    @Test
    void everyEgressRequestLeavesOneCompleteAuditLine() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

        LocalMesh.Reply reply = mesh.send("client-v1", HttpMethod.POST, "api.external.test", "/bytes/2048",
                Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01", "content-length", "1000"), new byte[1000]);

        assertThat(reply.status()).isEqualTo(200);
        // Other tests' lines may still arrive (a line is written when its response is complete): this request's are
        // the ones with its trace id.
        await().atMost(WAIT).until(() -> auditLines().stream().anyMatch(line -> line.contains(traceId)));
        List<String> lines = auditLines().stream().filter(line -> line.contains(traceId)).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).matches("\\{\"time\":\"\\d{4}-\\d\\d-\\d\\dT[^\"]+Z\",\"gateway\":\"istio-egressgateway\","
                + "\"source_principal\":\"" + CLIENT_PRINCIPAL + "\",\"source_address\":\"127\\.0\\.0\\.1\","
                + "\"destination_host\":\"api\\.external\\.test\",\"method\":\"POST\",\"path\":\"/bytes/2048\","
                + "\"status\":200,\"bytes_received\":1000,\"bytes_sent\":2048,\"duration_ms\":\\d+,"
                + "\"trace_id\":\"" + traceId + "\",\"request_id\":[^,]+}");
        assertThat(externalRequests).anyMatch(line -> line.contains("POST /bytes/2048 1000 bytes")
                && line.contains("traceparent 00-" + traceId));
    }

    @Test
    void aRequestWithoutTraceContextGetsATraceIdThatTheExternalCallCarries() {
        mesh.call("client-v1", "api.external.test", "/untraced", Map.of());

        await().atMost(WAIT).until(() -> auditLines().stream().anyMatch(line -> line.contains("\"path\":\"/untraced\"")));
        String line = auditLines().stream().filter(candidate -> candidate.contains("\"path\":\"/untraced\"")).findFirst()
                .orElseThrow();
        String traceId = line.replaceFirst(".*\"trace_id\":\"([0-9a-f]{32})\".*", "$1");
        assertThat(traceId).hasSize(32);
        assertThat(externalRequests).anyMatch(request -> request.contains("GET /untraced")
                && request.contains("traceparent 00-" + traceId + "-"));
    }

    @Test
    void theGatewayIsNoOpenRelay() throws IOException {
        int before = plainRequests.get();

        String rewrittenHost = raw(httpPort, "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + plainPort + "\r\nConnection: close\r\n\r\n");
        String absoluteUri = raw(httpPort, "GET http://127.0.0.1:" + plainPort + "/ HTTP/1.1\r\nHost: api.external.test\r\n"
                + "Connection: close\r\n\r\n");
        String connect = raw(httpPort, "CONNECT 127.0.0.1:" + plainPort + " HTTP/1.1\r\nHost: 127.0.0.1:" + plainPort
                + "\r\n\r\n");

        assertThat(rewrittenHost).startsWith("HTTP/1.1 502").contains("the host 127.0.0.1 is not declared for egress");
        assertThat(absoluteUri).startsWith("HTTP/1.1 502").contains("the host 127.0.0.1 is not declared for egress");
        assertThat(connect).startsWith("HTTP/1.1 403").contains("never opens tunnels");
        assertThat(plainRequests.get()).isEqualTo(before);
        await().atMost(WAIT).untilAsserted(() -> assertThat(auditLines())
                .anyMatch(line -> line.contains("\"method\":\"CONNECT\"") && line.contains("\"status\":403")));
    }

    @Test
    void aDeclaredHostOnThePlainTextPortIsRefusedToCallersWithoutAMeshIdentity() throws IOException {
        String reply = raw(httpPort, "GET /status HTTP/1.1\r\nHost: api.external.test\r\nConnection: close\r\n\r\n");

        assertThat(reply).startsWith("HTTP/1.1 403").contains("istio-system/egress-callers");
    }

    /** Sends {@code request} as written to the gateway's port and returns what came back before the socket closed. */
    private static String raw(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder text = new StringBuilder();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                if (request.startsWith("CONNECT") && text.indexOf("\r\n\r\n") > 0 && complete(text)) {
                    break; // a refused CONNECT may leave the connection open
                }
            }
            return text.toString();
        }
    }

    /** Whether the response in {@code text} has all the body its Content-Length announces. */
    private static boolean complete(StringBuilder text) {
        int end = text.indexOf("\r\n\r\n");
        var matcher = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text.substring(0, end));
        return matcher.find() && text.length() - end - 4 >= Integer.parseInt(matcher.group(1));
    }

    /** The audit lines so far (the appender appends under its own lock). */
    private List<String> auditLines() {
        synchronized (audit) {
            return audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
