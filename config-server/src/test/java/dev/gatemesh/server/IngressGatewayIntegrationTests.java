package dev.gatemesh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.proxy.gateway.RateLimitCheck;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.proxy.runtime.MeshSidecar;
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

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String GATEWAY_PRINCIPAL = "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account";

    @TempDir
    static Path folder;
    @TempDir
    static Path home;
    private LocalMesh mesh;
    private MeshSidecar gateway;
    private final HttpClient client = HttpClient.create();

    @BeforeAll
    void start() throws Exception {
        mesh = new LocalMesh(folder, home).workload("productpage-v1", "productpage", "v1")
                .workload("reviews-v1", "reviews", "v1").gateway("istio-ingressgateway");
        mesh.writeConfig("").startServer().startApps();
        mesh.startSidecar("productpage-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        mesh.startSidecar("reviews-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        gateway = mesh.startGateway("istio-ingressgateway", new dev.gatemesh.proxy.gateway.FileCredentialSource(home.resolve("credentials"), Duration.ofMillis(50), Duration.ofSeconds(2)).start(), RateLimitCheck.NONE);
        await().atMost(WAIT).until(() -> mesh.sidecar("productpage-v1").isReady() && mesh.sidecar("reviews-v1").isReady()
                && gateway.isReady());
    }

    @AfterAll
    void stop() {
        if (mesh != null) {
            mesh.close();
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
                    - "%s"
                %s
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: bookinfo
                  namespace: bookinfo
                spec:
                  hosts:
                  - "%s"
                  gateways:
                  - istio-system/bookinfo-gateway
                  http:
                  - route:
                    - destination:
                        host: reviews
                ---
                """.formatted(port, host, serverExtra, host);
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
        int port = LocalMesh.listenPort();
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
        int port = LocalMesh.listenPort();
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
        int port = LocalMesh.listenPort();
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
        int port = LocalMesh.listenPort();
        apply(gatewayAndRoute(port, "shop.example.com", "    tls:\n      httpsRedirect: true"));
        await().atMost(WAIT).until(() -> gateway.gatewayPorts().openPorts().containsKey(port));

        LocalMesh.Reply redirect = get(port, "shop.example.com", "/cart?id=7", Map.of());
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.headers().get("location")).isEqualTo("https://shop.example.com/cart?id=7");
    }
}
