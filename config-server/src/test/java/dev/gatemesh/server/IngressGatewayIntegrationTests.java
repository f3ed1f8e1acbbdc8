package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.testing.FreePorts;
import dev.gatemesh.proxy.gateway.FileCredentialSource;
import dev.gatemesh.proxy.gateway.GatewayRateLimits;
import dev.gatemesh.proxy.ratelimit.RateLimitKey;
import dev.gatemesh.proxy.ratelimit.RateLimitProperties;
import dev.gatemesh.proxy.ratelimit.RateLimitRule;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.proxy.runtime.MeshProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

/**
 * The ingress gateway end to end on loopback: Istio Gateway servers open ports on it, VirtualServices bound to
 * them route into the mesh over mutual TLS with the gateway's own identity, end users are authenticated at the
 * edge, and WebSocket sessions pass through. One mesh for the class; each test applies its configuration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngressGatewayIntegrationTests {

    private static final String GATEWAY_PRINCIPAL = "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account";

    @TempDir
    static Path folder;
    @TempDir
    static Path home;
    private LocalMesh mesh;
    private MeshProxy gateway;
    private final HttpClient client = HttpClient.create();
    private Process redis;
    private int redisPort;
    private GatewayRateLimits rateLimits;
    private FileCredentialSource credentials;

    @BeforeAll
    void start() throws Exception {
        mesh = new LocalMesh(folder, home).workload("productpage-v1", "productpage", "v1")
                .workload("reviews-v1", "reviews", "v1").gateway("istio-ingressgateway");
        mesh.writeConfig("").startServer().startApps();
        mesh.startSidecar("productpage-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        mesh.startSidecar("reviews-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        redisPort = FreePorts.next();
        redis = new ProcessBuilder("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no").redirectErrorStream(true).redirectOutput(home.resolve("redis.log").toFile()).start();
        // Two rules, as an operator writes them under gatemesh.gateway.rate-limits: 3 a minute per caller on one host
        // (local buckets), 2 a minute per user claim on another, shared by all replicas through Redis.
        RateLimitProperties limits = new RateLimitProperties(List.of(
                new RateLimitProperties.Rule("per-caller", List.of("limited.example.com"), null,
                        new RateLimitProperties.Key(RateLimitKey.Source.HEADER, "x-caller"), 3L, RateLimitRule.Unit.MINUTE, null,
                        RateLimitRule.Backend.LOCAL),
                new RateLimitProperties.Rule("shared", List.of("shared.example.com"), "/api/", new RateLimitProperties.Key(
                        RateLimitKey.Source.CLIENT_IP, null), 2L, RateLimitRule.Unit.MINUTE, null, RateLimitRule.Backend.REDIS)),
                new RateLimitProperties.Redis("redis://127.0.0.1:" + redisPort, Duration.ofSeconds(2), false));
        rateLimits = GatewayRateLimits.of(limits, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), java.time.Clock.systemUTC());
        credentials = new FileCredentialSource(home.resolve("credentials"), Duration.ofMillis(50), Duration.ofSeconds(2)).start();
        gateway = mesh.startGateway("istio-ingressgateway", credentials, rateLimits);
        await().atMost(WAIT).until(() -> mesh.sidecar("productpage-v1").isReady() && mesh.sidecar("reviews-v1").isReady()
                && gateway.isReady());
    }

    @AfterAll
    void stop() {
        if (mesh != null) {
            mesh.close();
        }
        if (rateLimits != null) {
            rateLimits.close();
        }
        if (credentials != null) {
            credentials.close();
        }
        if (redis != null) {
            redis.destroyForcibly();
        }
    }

    /** Applies the YAML and waits until the gateway and the named sidecars hold the snapshot carrying it. */
    private void apply(String yaml, String... sidecars) throws Exception {
        Map<String, String> before = new java.util.HashMap<>();
        before.put("istio-ingressgateway", gateway.state().current().version());
        for (String name : sidecars) {
            before.put(name, mesh.sidecar(name).state().current().version());
        }
        MeshFolder.write(folder.resolve("policy.yaml"), yaml);
        await().atMost(WAIT).until(() -> before.entrySet().stream()
                .noneMatch(e -> e.getValue().equals(mesh.sidecar(e.getKey()).state().current().version())));
    }

    private static String gatewayAndRoute(int port, String host, String serverExtra) {
        return gatewayAndRoute(port, serverExtra, new String[] {host});
    }

    private static String gatewayAndRoute(int port, String serverExtra, String... hosts) {
        StringBuilder serverHosts = new StringBuilder();
        StringBuilder routeHosts = new StringBuilder();
        for (String host : hosts) {
            serverHosts.append("        - \"").append(host).append("\"\n");
            routeHosts.append("          - \"").append(host).append("\"\n");
        }
        return """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: bookinfo-gateway
                  namespace: istio-system
                spec:
                  selector:
                    istio: ingressgateway
                  servers:
                  - port:
                      number: %d
                      name: http
                      protocol: HTTP
                    hosts:
                %s%s
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: bookinfo
                  namespace: bookinfo
                spec:
                  hosts:
                %s  gateways:
                  - istio-system/bookinfo-gateway
                  http:
                  - route:
                    - destination:
                        host: reviews
                ---
                """.formatted(port, serverHosts.toString().replace("        - ", "    - "), serverExtra,
                routeHosts.toString().replace("          - ", "  - "));
    }

    private LocalMesh.Reply get(int port, String host, String path, Map<String, String> headers) {
        return client.headers(h -> {
                    h.set("Host", host);
                    headers.forEach(h::set);
                })
                .get().uri("http://127.0.0.1:" + port + path)
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> new LocalMesh.Reply(response.status().code(), text, response.responseHeaders())))
                .block(Duration.ofSeconds(10));
    }

    @Test
    void hostsBoundToAGatewayServerAreRoutedIntoTheMeshOverMutualTlsWithTheGatewaysIdentity() throws Exception {
        int port = FreePorts.next();
        apply(gatewayAndRoute(port, "bookinfo.example.com", "") + """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: reviews-from-the-edge
                  namespace: bookinfo
                spec:
                  selector:
                    matchLabels:
                      app: reviews
                  rules:
                  - from:
                    - source:
                        principals: ["%s"]
                """.formatted(GATEWAY_PRINCIPAL), "reviews-v1");
        await().atMost(WAIT).until(() -> gateway.gatewayPorts().openPorts().containsKey(port));
        double before = edgeRequestsToReviews();

        LocalMesh.Reply routed = get(port, "bookinfo.example.com", "/reviews/1", Map.of());
        assertThat(routed.status()).isEqualTo(200);
        assertThat(routed.body()).isEqualTo("reviews-v1");
        assertThat(routed.headers().get("x-seen-xfcc")).as("the app sees the gateway's identity")
                .endsWith(";URI=spiffe://" + GATEWAY_PRINCIPAL);

        LocalMesh.Reply unknown = get(port, "elsewhere.example.com", "/", Map.of());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).as("names nothing inside the mesh").isEqualTo("not found\n");

        assertThat(mesh.call("productpage-v1", "reviews", "/", Map.of()).status())
                .as("the policy admits the gateway, not other workloads").isEqualTo(403);
        assertThat(edgeRequestsToReviews()).as("istio_requests_total{reporter=source} of the gateway").isEqualTo(before + 1);
    }

    private double edgeRequestsToReviews() {
        var requests = mesh.metrics.get("istio-ingressgateway").find("istio_requests_total").tag("reporter", "source")
                .tag("response_code", "200").tag("destination_service", "reviews.bookinfo.svc.cluster.local")
                .tag("source_principal", GATEWAY_PRINCIPAL).tag("connection_security_policy", "mutual_tls").counter();
        return requests == null ? 0 : requests.count();
    }

    @Test
    void endUsersAreAuthenticatedAtTheEdgeAndPoliciesCanRequireThem() throws Exception {
        int port = FreePorts.next();
        var key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("k1").generate();
        String jwks = new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toString();
        apply(gatewayAndRoute(port, "api.example.com", "") + """
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata:
                  name: edge-jwt
                  namespace: istio-system
                spec:
                  selector:
                    matchLabels:
                      istio: ingressgateway
                  jwtRules:
                  - issuer: https://auth.example.com
                    jwks: '%s'
                    outputClaimToHeaders:
                    - header: x-user
                      claim: sub
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: edge-requires-users
                  namespace: istio-system
                spec:
                  selector:
                    matchLabels:
                      istio: ingressgateway
                  action: DENY
                  rules:
                  - from:
                    - source:
                        notRequestPrincipals: ["*"]
                    to:
                    - operation:
                        paths: ["/secure/*"]
                """.formatted(jwks));
        await().atMost(WAIT).until(() -> gateway.gatewayPorts().openPorts().containsKey(port));
        var jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.RS256)
                .keyID("k1").build(), new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("https://auth.example.com")
                .subject("alice").expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(3600))).build());
        jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(key));
        String valid = "Bearer " + jwt.serialize();
        String forged = valid.substring(0, valid.length() - 4) + "AAAA";

        LocalMesh.Reply withToken = get(port, "api.example.com", "/secure/orders", Map.of("Authorization", valid));
        assertThat(withToken.status()).isEqualTo(200);
        assertThat(withToken.headers().get("x-seen-user")).isEqualTo("alice");
        assertThat(get(port, "api.example.com", "/secure/orders", Map.of()).status())
                .as("no token where the policy requires one").isEqualTo(403);
        assertThat(get(port, "api.example.com", "/public", Map.of()).status()).as("no token, no policy: passes").isEqualTo(200);
        LocalMesh.Reply invalid = get(port, "api.example.com", "/public", Map.of("Authorization", forged));
        assertThat(invalid.status()).as("an invalid token never passes").isEqualTo(401);
        assertThat(invalid.body()).isEqualTo("Jwt verification fails\n");
    }

    @Test
    void webSocketSessionsPassThroughTheGatewayAndTheSidecar() throws Exception {
        int port = FreePorts.next();
        apply(gatewayAndRoute(port, "ws.example.com", ""));
        await().atMost(WAIT).until(() -> gateway.gatewayPorts().openPorts().containsKey(port));

        String echoed = client.headers(h -> h.set("Host", "ws.example.com")).websocket().uri("ws://127.0.0.1:" + port + "/chat")
                .handle((in, out) -> out.sendString(Flux.just("hello")).then()
                        .thenMany(in.receive().asString().take(1)))
                .blockFirst(Duration.ofSeconds(10));
        assertThat(echoed).isEqualTo("reviews-v1 echoes hello to By=spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews;URI=spiffe://"
                + GATEWAY_PRINCIPAL);
    }

    @Test
    void plainTextRequestsToAServerWithHttpsRedirectAreRedirected() throws Exception {
        int port = FreePorts.next();
        apply(gatewayAndRoute(port, "shop.example.com", "    tls:\n      httpsRedirect: true"));
        await().atMost(WAIT).until(() -> gateway.gatewayPorts().openPorts().containsKey(port));

        LocalMesh.Reply redirect = get(port, "shop.example.com", "/cart?id=7", Map.of());
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.headers().get("location")).isEqualTo("https://shop.example.com/cart?id=7");
    }

    private static String tlsServer(int port, String name, String host, String mode, String credential, String extra) {
        return """
                  - port:
                      number: %d
                      name: %s
                      protocol: HTTPS
                    hosts:
                    - "%s"
                    tls:
                      mode: %s
                      credentialName: %s
                %s""".formatted(port, name, host, mode, credential, extra);
    }

    private static String tlsGateway(String servers, String... hosts) {
        StringBuilder vsHosts = new StringBuilder();
        for (String host : hosts) {
            vsHosts.append("  - \"").append(host).append("\"\n");
        }
        return """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: tls-gateway
                  namespace: istio-system
                spec:
                  selector:
                    istio: ingressgateway
                  servers:
                %s
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: tls-sites
                  namespace: bookinfo
                spec:
                  hosts:
                %s  gateways:
                  - istio-system/tls-gateway
                  http:
                  - route:
                    - destination:
                        host: reviews
                ---
                """.formatted(servers, vsHosts);
    }

    /** What an HTTPS call answered, and the certificate the gateway presented. */
    private record Secure(int status, String body, X509Certificate presented, String protocol, String channel) {
    }

    /** A client of {@code host} at the gateway's loopback port: that name in SNI and Host, certificates checked by the test. */
    private static HttpClient tlsClient(int port, String host, EdgeCertificates trusted, EdgeCertificates clientCertificate,
                                        boolean http2, String tlsVersion) {
        java.util.function.Consumer<io.netty.handler.ssl.SslContextBuilder> settings = builder -> {
            builder.trustManager(trusted.certificate());
            if (clientCertificate != null) {
                builder.keyManager(clientCertificate.key(), clientCertificate.certificate());
            }
            if (tlsVersion != null) {
                builder.protocols(tlsVersion);
            }
        };
        HttpClient client = HttpClient.create(reactor.netty.resources.ConnectionProvider.create("edge-" + port, 1))
                .baseUrl("https://127.0.0.1:" + port).headers(headers -> headers.set("Host", host));
        javax.net.ssl.SNIHostName serverName = new javax.net.ssl.SNIHostName(host);
        // The name is checked by comparing the presented certificate; the address is loopback.
        java.util.function.Consumer<SslHandler> noAddressCheck = handler -> {
            javax.net.ssl.SSLParameters parameters = handler.engine().getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm(null);
            handler.engine().setSSLParameters(parameters);
        };
        return http2 ? client.protocol(HttpProtocol.H2).secure(spec -> spec.sslContext(Http2SslContextSpec.forClient()
                        .configure(settings)).serverNames(serverName).handlerConfigurator(noAddressCheck))
                : client.secure(spec -> spec.sslContext(Http11SslContextSpec.forClient().configure(settings))
                        .serverNames(serverName).handlerConfigurator(noAddressCheck));
    }

    private static Secure call(HttpClient client, String url) {
        AtomicReference<X509Certificate> presented = new AtomicReference<>();
        AtomicReference<String> channel = new AtomicReference<>();
        return client.doOnResponse((response, connection) -> {
                    SslHandler ssl = connection.channel().pipeline().get(SslHandler.class);
                    if (ssl == null && connection.channel().parent() != null) {
                        ssl = connection.channel().parent().pipeline().get(SslHandler.class);
                    }
                    try {
                        presented.set((X509Certificate) ssl.engine().getSession().getPeerCertificates()[0]);
                    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                        throw new IllegalStateException(e);
                    }
                    io.netty.channel.Channel transport = connection.channel().parent() != null ? connection.channel().parent()
                            : connection.channel();
                    channel.set(transport.id().asLongText());
                })
                .get().uri(url)
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> new Secure(response.status().code(), text, presented.get(), response.version().text(),
                                channel.get())))
                .block(Duration.ofSeconds(10));
    }

    @Test
    void serverNamesPickTheirCertificatesOnOnePortAndRotatedCertificatesApplyWithoutDroppingConnections() throws Exception {
        int port = FreePorts.next();
        EdgeCertificates ca = EdgeCertificates.authority("Edge CA");
        EdgeCertificates a = ca.issue("a.example.com");
        EdgeCertificates b = ca.issue("b.example.com");
        a.writeCredential(home.resolve("credentials"), "a-cert", null);
        b.writeCredential(home.resolve("credentials"), "b-cert", null);
        await().atMost(WAIT).until(() -> credentials.get("a-cert") != null && credentials.get("b-cert") != null);
        apply(tlsGateway(tlsServer(port, "https-a", "a.example.com", "SIMPLE", "a-cert", "")
                + tlsServer(port, "https-b", "b.example.com", "SIMPLE", "b-cert", ""), "a.example.com", "b.example.com"));
        await().atMost(WAIT).until(() -> gateway.gatewayPorts().openPorts().getOrDefault(port, false));

        HttpClient keptAlive = tlsClient(port, "a.example.com", ca, null, false, null);
        Secure first = call(keptAlive, "/");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("reviews-v1");
        assertThat(first.presented()).isEqualTo(a.certificate());
        Secure other = call(tlsClient(port, "b.example.com", ca, null, false, null), "/");
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.presented()).isEqualTo(b.certificate());

        EdgeCertificates renewed = ca.issue("a.example.com");
        renewed.writeCredential(home.resolve("credentials"), "a-cert", null);
        await().atMost(WAIT).until(() -> renewed.certificate().equals(
                call(tlsClient(port, "a.example.com", ca, null, false, null), "/").presented()));
        Secure sameConnection = call(keptAlive, "/again");
        assertThat(sameConnection.status()).isEqualTo(200);
        assertThat(sameConnection.channel()).as("the open connection was not dropped").isEqualTo(first.channel());
        assertThat(sameConnection.presented()).as("it keeps the certificate it was opened with").isEqualTo(a.certificate());
    }

    @Test
    void mutualTlsServersRequireAClientCertificateFromTheirCredentialsCa() throws Exception {
        int port = FreePorts.next();
        EdgeCertificates ca = EdgeCertificates.authority("Edge CA");
        EdgeCertificates clients = EdgeCertificates.authority("Partner CA");
        ca.issue("partner.example.com").writeCredential(home.resolve("credentials"), "partner-cert", clients);
        await().atMost(WAIT).until(() -> credentials.get("partner-cert") != null);
        apply(tlsGateway(tlsServer(port, "https-partner", "partner.example.com", "MUTUAL", "partner-cert", ""),
                "partner.example.com"));
        await().atMost(WAIT).until(() -> gateway.gatewayPorts().openPorts().getOrDefault(port, false));

        Secure withCertificate = call(tlsClient(port, "partner.example.com", ca, clients.issue("acme"), false, null),
                "/");
        assertThat(withCertificate.status()).isEqualTo(200);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> call(tlsClient(port, "partner.example.com", ca, null, false, null),
                "/")).as("no client certificate, no connection").isNotNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> call(tlsClient(port, "partner.example.com", ca,
                EdgeCertificates.authority("Other CA").issue("mallory"), false, null), "/"))
                .as("a certificate of another CA").isNotNull();
    }

    @Test
    void http2IsNegotiatedByAlpnAndMinProtocolVersionRefusesOlderClients() throws Exception {
        int port = FreePorts.next();
        EdgeCertificates ca = EdgeCertificates.authority("Edge CA");
        ca.issue("h2.example.com").writeCredential(home.resolve("credentials"), "h2-cert", null);
        await().atMost(WAIT).until(() -> credentials.get("h2-cert") != null);
        apply(tlsGateway(tlsServer(port, "https-h2", "h2.example.com", "SIMPLE", "h2-cert",
                "      minProtocolVersion: TLSV1_3"), "h2.example.com"));
        await().atMost(WAIT).until(() -> gateway.gatewayPorts().openPorts().getOrDefault(port, false));

        Secure h2 = call(tlsClient(port, "h2.example.com", ca, null, true, null), "/");
        assertThat(h2.status()).isEqualTo(200);
        assertThat(h2.protocol()).isEqualTo("HTTP/2.0");
        assertThat(h2.body()).isEqualTo("reviews-v1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> call(tlsClient(port, "h2.example.com", ca, null, false, "TLSv1.2"),
                "/")).as("TLS 1.2 is below minProtocolVersion").isNotNull();
        assertThat(call(tlsClient(port, "h2.example.com", ca, null, false, "TLSv1.3"), "/").status())
                .isEqualTo(200);
    }

    @Test
    void rateLimitsAnswer429WithRetryAfterFromLocalAndRedisBuckets() throws Exception {
        int port = FreePorts.next();
        apply(gatewayAndRoute(port, "", "limited.example.com", "shared.example.com"));
        await().atMost(WAIT).until(() -> gateway.gatewayPorts().openPorts().containsKey(port));
        await().atMost(WAIT).ignoreExceptions().until(() -> new java.net.Socket("127.0.0.1", redisPort).isConnected());

        for (int i = 0; i < 3; i++) {
            assertThat(get(port, "limited.example.com", "/", Map.of("x-caller", "alice")).status()).isEqualTo(200);
        }
        LocalMesh.Reply limited = get(port, "limited.example.com", "/", Map.of("x-caller", "alice"));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(Integer.parseInt(limited.headers().get("retry-after"))).isBetween(1, 60);
        assertThat(get(port, "limited.example.com", "/", Map.of("x-caller", "bob")).status()).as("another caller's bucket")
                .isEqualTo(200);

        assertThat(get(port, "shared.example.com", "/api/orders", Map.of()).status()).isEqualTo(200);
        assertThat(get(port, "shared.example.com", "/api/orders", Map.of()).status()).isEqualTo(200);
        LocalMesh.Reply shared = get(port, "shared.example.com", "/api/orders", Map.of());
        assertThat(shared.status()).as("the Redis bucket is empty").isEqualTo(429);
        assertThat(shared.headers().get("retry-after")).isNotNull();
        assertThat(get(port, "shared.example.com", "/health", Map.of()).status()).as("outside the rule's path prefix")
                .isEqualTo(200);
    }
}
