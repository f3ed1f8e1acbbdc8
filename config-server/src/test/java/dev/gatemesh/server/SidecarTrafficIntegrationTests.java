package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.proxy.route.RouteTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * End to end on loopback: how the sidecars pick endpoints, redirect and rewrite, treat hosts outside the
 * registry, and honour a DestinationRule that disables TLS. Two reviews workloads stand behind one service;
 * productpage's sidecar only lets registered hosts out (REGISTRY_ONLY), the others let anything out.
 */
class SidecarTrafficIntegrationTests {

    @TempDir
    Path folder;
    @TempDir
    Path home;
    private LocalMesh mesh;
    private DisposableServer outsider;
    private final HttpClient client = HttpClient.create();

    @BeforeEach
    void start() throws Exception {
        mesh = new LocalMesh(folder, home).workload("productpage-v1", "productpage", "v1")
                .workload("reviews-v1", "reviews", "v1").workload("reviews-v2", "reviews", "v2")
                .workload("ratings-v1", "ratings", "v1");
        mesh.writeConfig("").startServer().startApps();
        mesh.startSidecar("productpage-v1", RouteTable.OutboundPolicy.REGISTRY_ONLY);
        mesh.startSidecar("reviews-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        mesh.startSidecar("reviews-v2", RouteTable.OutboundPolicy.ALLOW_ANY);
        mesh.startSidecar("ratings-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        await().atMost(WAIT).until(() -> mesh.workloads.keySet().stream().allMatch(n -> mesh.sidecar(n).isReady()));
    }

    @AfterEach
    void stop() {
        mesh.close();
        if (outsider != null) {
            outsider.disposeNow();
        }
    }



    /** Applies the policies and waits until each named sidecar holds a new snapshot (the one carrying them). */
    private void apply(String yaml, String... sidecars) throws Exception {
        Map<String, String> before = new HashMap<>();
        for (String name : sidecars) {
            before.put(name, version(name));
        }
        MeshFolder.write(folder.resolve("policy.yaml"), yaml);
        await().atMost(WAIT).until(() -> before.entrySet().stream().noneMatch(e -> e.getValue().equals(version(e.getKey()))));
    }

    private String version(String sidecar) {
        return mesh.sidecar(sidecar).state().current().version();
    }

    private static String loadBalancer(String policy) {
        return """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: reviews
                  namespace: bookinfo
                spec:
                  host: reviews
                  trafficPolicy:
                    loadBalancer:
                %s
                """.formatted(policy.indent(6).stripTrailing());
    }

    @Test
    void roundRobinSpreadsRequestsEvenlyOverTheServicesEndpoints() throws Exception {
        apply(loadBalancer("simple: ROUND_ROBIN"), "productpage-v1");
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            LocalMesh.Reply reply = mesh.call("productpage-v1", "reviews", "/reviews/1", Map.of());
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            counts.merge(reply.body(), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("reviews-v1", "reviews-v2");
        assertThat(counts.get("reviews-v1")).isBetween(198, 202);
    }

    @Test
    void aConsistentHashOnAHeaderSticksEachValueToOneEndpoint() throws Exception {
        apply(loadBalancer("""
                consistentHash:
                  httpHeaderName: x-user
                """), "productpage-v1");
        Map<String, Set<String>> endpointsByUser = new HashMap<>();
        for (int user = 0; user < 30; user++) {
            for (int i = 0; i < 10; i++) {
                LocalMesh.Reply reply = mesh.call("productpage-v1", "reviews", "/", Map.of("x-user", "user-" + user));
                endpointsByUser.computeIfAbsent("user-" + user, u -> new HashSet<>()).add(reply.body());
            }
        }
        assertThat(endpointsByUser.values()).allSatisfy(endpoints -> assertThat(endpoints).hasSize(1));
        Set<String> used = new HashSet<>();
        endpointsByUser.values().forEach(used::addAll);
        assertThat(used).as("thirty users spread over both endpoints").containsExactlyInAnyOrder("reviews-v1", "reviews-v2");
    }

    @Test
    void aConsistentHashOnACookieSticksEachSessionToOneEndpoint() throws Exception {
        apply(loadBalancer("""
                consistentHash:
                  httpCookie:
                    name: session
                    ttl: 0s
                """), "productpage-v1");
        Set<String> used = new HashSet<>();
        for (int session = 0; session < 30; session++) {
            Set<String> endpoints = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                endpoints.add(mesh.call("productpage-v1", "reviews", "/", Map.of("Cookie", "theme=dark; session=s" + session)).body());
            }
            assertThat(endpoints).hasSize(1);
            used.addAll(endpoints);
        }
        assertThat(used).hasSize(2);
    }

    @Test
    void aVirtualServiceRedirectsAndRewritesThePathAndAuthority() throws Exception {
        apply("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: ratings
                  namespace: bookinfo
                spec:
                  hosts:
                  - ratings
                  http:
                  - match:
                    - uri:
                        exact: /old-ratings
                    redirect:
                      uri: /ratings
                  - match:
                    - uri:
                        prefix: /v1/
                    rewrite:
                      uri: /ratings/
                      authority: ratings.internal
                    headers:
                      request:
                        set:
                          x-rewritten: "yes"
                    route:
                    - destination:
                        host: ratings
                """, "productpage-v1");
        LocalMesh.Reply redirect = mesh.call("productpage-v1", "ratings", "/old-ratings", Map.of());
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.headers().get("Location")).isEqualTo("http://ratings/ratings");

        LocalMesh.Reply rewritten = mesh.call("productpage-v1", "ratings", "/v1/7?stars=5", Map.of());
        assertThat(rewritten.status()).isEqualTo(200);
        assertThat(rewritten.headers().get("x-seen-path")).isEqualTo("/ratings/7?stars=5");
    }

    @Test
    void registryOnlyRefusesUnknownHostsWithA502SayingWhyWhileAllowAnyPassesThemThrough() {
        outsider = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> response.sendString(Mono.just("outside the mesh"))).bindNow();
        String unknown = "127.0.0.1:" + outsider.port();

        LocalMesh.Reply refused = mesh.call("productpage-v1", unknown, "/", Map.of());
        assertThat(refused.status()).isEqualTo(502);
        assertThat(refused.body()).contains("the host 127.0.0.1 is not declared").contains("REGISTRY_ONLY");

        LocalMesh.Reply passed = mesh.call("reviews-v1", unknown, "/", Map.of());
        assertThat(passed.status()).isEqualTo(200);
        assertThat(passed.body()).isEqualTo("outside the mesh");
        assertThat(mesh.call("productpage-v1", "ratings", "/", Map.of()).status()).as("registered hosts still reachable").isEqualTo(200);
    }

    @Test
    void requestBodiesSmallLargeAndChunkedReachTheAppIntactThroughBothSidecars() {
        byte[] large = new byte[3 * 1024 * 1024 + 17];
        new java.util.SplittableRandom(7).nextBytes(large);
        byte[] small = "rating=5".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String url = "http://127.0.0.1:" + mesh.workloads.get("productpage-v1").outboundPort() + "/ratings/1";
        for (byte[] body : List.of(small, large)) {
            String seen = client.headers(h -> h.set("Host", "ratings")).post().uri(url)
                    .send(reactor.netty.ByteBufFlux.fromInbound(Mono.just(body)))
                    .responseSingle((response, content) -> Mono.just(response.responseHeaders().get("x-seen-body")))
                    .block(Duration.ofSeconds(20));
            assertThat(seen).isEqualTo(body.length + " bytes, crc " + LocalMesh.crc(body));
        }
        // chunked: no Content-Length, the body arrives in pieces and is streamed through
        reactor.core.publisher.Flux<byte[]> pieces = reactor.core.publisher.Flux.range(0, 64)
                .map(i -> java.util.Arrays.copyOfRange(large, i * 8192, (i + 1) * 8192));
        String seen = client.headers(h -> h.set("Host", "ratings")).post().uri(url)
                .send(reactor.netty.ByteBufFlux.fromInbound(pieces))
                .responseSingle((response, content) -> Mono.just(response.responseHeaders().get("x-seen-body")))
                .block(Duration.ofSeconds(20));
        assertThat(seen).isEqualTo(64 * 8192 + " bytes, crc " + LocalMesh.crc(java.util.Arrays.copyOf(large, 64 * 8192)));
    }

    @Test
    void endUserJwtsAreVerifiedAtTheInboundSidecarAndAuthorizationPoliciesCanRequireThem() throws Exception {
        var key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("k1").generate();
        String jwks = new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toString();
        apply("""
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata:
                  name: ratings-jwt
                  namespace: bookinfo
                spec:
                  selector:
                    matchLabels:
                      app: ratings
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
                  name: ratings-end-users
                  namespace: bookinfo
                spec:
                  selector:
                    matchLabels:
                      app: ratings
                  rules:
                  - from:
                    - source:
                        requestPrincipals: ["https://auth.example.com/*"]
                """.formatted(jwks), "ratings-v1");
        var jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.RS256)
                .keyID("k1").build(), new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("https://auth.example.com")
                .subject("alice").expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(3600))).build());
        jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(key));

        LocalMesh.Reply valid = mesh.call("productpage-v1", "ratings", "/", Map.of("Authorization", "Bearer " + jwt.serialize()));
        assertThat(valid.status()).isEqualTo(200);
        assertThat(valid.headers().get("x-seen-user")).isEqualTo("alice");
        assertThat(valid.headers().get("x-seen-authorization")).as("the token is not forwarded").isEqualTo("null");

        LocalMesh.Reply missing = mesh.call("productpage-v1", "ratings", "/", Map.of());
        assertThat(missing.status()).as("no token: the policy requires a principal").isEqualTo(403);
        assertThat(missing.body()).contains("bookinfo/ratings-end-users");

        LocalMesh.Reply forged = mesh.call("productpage-v1", "ratings", "/", Map.of("Authorization", "Bearer "
                + jwt.serialize().substring(0, jwt.serialize().length() - 4) + "AAAA"));
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.body()).isEqualTo("Jwt verification fails\n");
    }

    @Test
    void smallAndLargeResponsesReachTheCallerIntact() {
        for (int size : List.of(10, 5 * 1024 * 1024 + 3)) {
            byte[] body = client.headers(h -> h.set("Host", "ratings")).get()
                    .uri("http://127.0.0.1:" + mesh.workloads.get("productpage-v1").outboundPort() + "/bytes/" + size)
                    .responseSingle((response, content) -> content.asByteArray()).block(Duration.ofSeconds(20));
            assertThat(body).isEqualTo(LocalMesh.bytes(size));
        }
    }

    @Test
    void aDestinationRuleWithTlsDisabledSendsPlainTextToThePeerSidecarWhosePoliciesStillApply() throws Exception {
        String disable = """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: ratings
                  namespace: bookinfo
                spec:
                  host: ratings
                  trafficPolicy:
                    tls:
                      mode: DISABLE
                ---
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: ratings-get-only
                  namespace: bookinfo
                spec:
                  selector:
                    matchLabels:
                      app: ratings
                  rules:
                  - to:
                    - operation:
                        methods: ["GET"]
                """;
        apply(disable, "productpage-v1", "ratings-v1");
        LocalMesh.Reply plain = mesh.call("productpage-v1", "ratings", "/", Map.of());
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.headers().get("x-seen-xfcc")).as("no client certificate, no identity").isEqualTo("null");
        assertThat(mesh.metrics.get("ratings-v1").find("istio_requests_total").tag("reporter", "destination")
                .tag("connection_security_policy", "none").counter()).isNotNull();
        LocalMesh.Reply post = mesh.send("productpage-v1", io.netty.handler.codec.http.HttpMethod.POST, "ratings", "/", Map.of());
        assertThat(post.status()).as("the destination's AuthorizationPolicy still applies").isEqualTo(403);

        apply(disable + """
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata:
                  name: ratings-strict
                  namespace: bookinfo
                spec:
                  selector:
                    matchLabels:
                      app: ratings
                  mtls:
                    mode: STRICT
                """, "ratings-v1");
        assertThat(mesh.call("productpage-v1", "ratings", "/", Map.of()).status()).as("plain text refused where STRICT")
                .isEqualTo(503);
    }
}
