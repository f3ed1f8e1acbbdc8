package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.api.testing.FreePorts;
import dev.gatemesh.proxy.gateway.RateLimitCheck;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.proxy.runtime.MeshProxy;
import dev.gatemesh.proxy.testing.RawHttp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The path a policy decides on is the path the app gets (Istio's CVE-2021-31920 class), end to end on loopback with
 * the default BASE normalization: a DENY on {@code /admin*} and a JWT required on {@code /secure*}, at a sidecar's
 * inbound listener (reached through a peer sidecar), at the ingress gateway and at the egress gateway, in front of apps
 * that resolve paths themselves as lenient servers do (every percent-encoding decoded, backslashes as slashes, slashes
 * merged, dot segments resolved). Every spelling of a protected path is refused with 400, 401 or 403, and no app ever
 * receives a request that resolves under a protected prefix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathPolicyBypassIntegrationTests {

    private static final String ISSUER = "https://auth.example.com";

    /** Spellings of {@code /admin/x}; each is also tried under {@code /secure}. */
    private static final List<String> PROTECTED_FORMS = List.of("/admin/x", "//admin/x", "/admin//x", "/foo/../admin/x",
            "/./admin/x", "/%2e/admin/x", "/foo/%2e%2e/admin/x", "/foo/.%2E/admin/x", "/%61dmin/x",
            "/admin\\x", "/foo\\..\\admin\\x", "/admin%00/x", "/admin\0/x", "/%2Fadmin/x", "/%2fadmin/x", "/%5Cadmin/x",
            "/public/..%2Fadmin/x", "/public%2F..%2Fadmin/x", "/..%2Fadmin/x", "/..;/admin/x", "/public/..;/admin/x",
            "/foo/..//admin/x", "/./%2e%2e/admin", "/admin/x#", "/admin/x?q=1");

    @TempDir
    static Path folder;
    @TempDir
    static Path home;
    private LocalMesh mesh;
    private MeshProxy ingress;
    private MeshProxy egress;
    private DisposableServer outside;
    private final ConcurrentLinkedQueue<String> resolvedByApps = new ConcurrentLinkedQueue<>();
    private int ingressPort;
    private int egressPort;
    private String validToken;
    private String otherUsersToken;

    @BeforeAll
    void start() throws Exception {
        TestJwts jwts = new TestJwts(ISSUER);
        validToken = jwts.token("alice");
        otherUsersToken = jwts.token("mallory");
        ingressPort = FreePorts.next();
        egressPort = FreePorts.next();
        int outsidePort = FreePorts.next();
        outside = HttpServer.create().host("127.0.0.1").port(outsidePort).handle(this::resolvingApp).bindNow();
        mesh = new LocalMesh(folder, home).workload("productpage-v1", "productpage", "v1")
                .workload("details-v1", "details", "v1").gateway("istio-ingressgateway")
                .egressGateway("istio-egressgateway", Map.of("http", egressPort));
        mesh.startAppWith("details-v1", this::resolvingApp);
        mesh.writeConfig(policies(jwts.jwks(), outsidePort)).startServer().startApps();
        mesh.startSidecar("productpage-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        mesh.startSidecar("details-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        ingress = mesh.startGateway("istio-ingressgateway", null, RateLimitCheck.NONE);
        egress = mesh.startGateway("istio-egressgateway", null, RateLimitCheck.NONE);
        await().atMost(WAIT).until(() -> mesh.sidecar("productpage-v1").isReady() && mesh.sidecar("details-v1").isReady()
                && ingress.isReady() && egress.isReady() && ingress.gatewayPorts().openPorts().containsKey(ingressPort)
                && egress.gatewayPorts().openPorts().containsKey(egressPort));
    }

    @AfterAll
    void stop() {
        if (mesh != null) {
            mesh.close();
        }
        if (outside != null) {
            outside.disposeNow();
        }
    }

    /**
     * An app that resolves the raw path itself, as lenient servers do, records what it resolved (and whether a token
     * came along) and answers 200 with it; the raw target it received comes back in {@code x-raw-path}.
     */
    private Mono<Void> resolvingApp(reactor.netty.http.server.HttpServerRequest in,
                                    reactor.netty.http.server.HttpServerResponse out) {
        String resolved = LenientPaths.resolve(in.uri());
        boolean token = in.requestHeaders().contains("authorization");
        resolvedByApps.add(resolved + (token ? " with token" : ""));
        return out.header("x-raw-path", in.uri()).sendString(Mono.just(resolved)).then();
    }

    /** Who calls whom: the sidecar pair, the ingress gateway and the egress gateway, each with its policies. */
    private String policies(String jwks, int outsidePort) {
        StringBuilder yaml = new StringBuilder();
        for (String[] target : List.of(new String[] {"bookinfo", "app: details"},
                new String[] {"istio-system", "istio: ingressgateway"}, new String[] {"istio-system", "istio: egressgateway"})) {
            String name = target[1].replace(": ", "-");
            yaml.append("""
                    apiVersion: security.istio.io/v1
                    kind: AuthorizationPolicy
                    metadata:
                      name: deny-admin-%1$s
                      namespace: %2$s
                    spec:
                      selector:
                        matchLabels:
                          %3$s
                      action: DENY
                      rules:
                      - to:
                        - operation:
                            paths: ["/admin*"]
                    ---
                    apiVersion: security.istio.io/v1
                    kind: RequestAuthentication
                    metadata:
                      name: jwt-%1$s
                      namespace: %2$s
                    spec:
                      selector:
                        matchLabels:
                          %3$s
                      jwtRules:
                      - issuer: %4$s
                        jwks: '%5$s'
                        forwardOriginalToken: true
                    ---
                    apiVersion: security.istio.io/v1
                    kind: AuthorizationPolicy
                    metadata:
                      name: require-jwt-%1$s
                      namespace: %2$s
                    spec:
                      selector:
                        matchLabels:
                          %3$s
                      action: DENY
                      rules:
                      - from:
                        - source:
                            notRequestPrincipals: ["*"]
                        to:
                        - operation:
                            paths: ["/secure*"]
                    ---
                    """.formatted(name, target[0], target[1], ISSUER, jwks));
        }
        yaml.append("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: api-gateway
                  namespace: istio-system
                spec:
                  selector:
                    istio: ingressgateway
                  servers:
                  - port:
                      number: %1$d
                      name: http
                      protocol: HTTP
                    hosts:
                    - api.example.com
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: api
                  namespace: istio-system
                spec:
                  hosts:
                  - api.example.com
                  gateways:
                  - api-gateway
                  http:
                  - route:
                    - destination:
                        host: details.bookinfo.svc.cluster.local
                        port:
                          number: 9080
                ---
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: outside-gateway
                  namespace: istio-system
                spec:
                  selector:
                    istio: egressgateway
                  servers:
                  - port:
                      number: %2$d
                      name: http
                      protocol: HTTP
                    hosts:
                    - outside.example.com
                ---
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: outside
                  namespace: istio-system
                spec:
                  hosts:
                  - outside.example.com
                  location: MESH_EXTERNAL
                  resolution: STATIC
                  ports:
                  - number: 80
                    name: http
                    protocol: HTTP
                  endpoints:
                  - address: 127.0.0.1
                    ports:
                      http: %3$d
                ---
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: outside
                  namespace: istio-system
                spec:
                  hosts:
                  - outside.example.com
                  gateways:
                  - outside-gateway
                  http:
                  - route:
                    - destination:
                        host: outside.example.com
                        port:
                          number: 80
                """.formatted(ingressPort, egressPort, outsidePort));
        return yaml.toString();
    }

    /** Where a raw request enters the mesh, and with which Host. */
    private record Entry(String name, int port, String host) {
    }

    private List<Entry> entries() {
        return List.of(new Entry("sidecar pair", mesh.workloads.get("productpage-v1").outboundPort(), "details.bookinfo:9080"),
                new Entry("ingress gateway", ingressPort, "api.example.com"),
                new Entry("egress gateway", egressPort, "outside.example.com"));
    }

    private static RawHttp.Response get(Entry entry, String target, String... headers) throws Exception {
        StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: ").append(entry.host())
                .append("\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return RawHttp.exchange(entry.port(), request.append("Connection: close\r\n\r\n").toString());
    }

    @Test
    void theProtectedPathsAreReachableOnlyAsTheirPoliciesAllow() throws Exception {
        for (Entry entry : entries()) {
            assertThat(get(entry, "/public/x").status()).as("%s: an open path", entry.name()).isEqualTo(200);
            assertThat(get(entry, "/admin/x").status()).as("%s: the denied path", entry.name()).isEqualTo(403);
            assertThat(get(entry, "/secure/x").status()).as("%s: no token", entry.name()).isEqualTo(403);
            RawHttp.Response withToken = get(entry, "/secure/x", "Authorization: Bearer " + validToken);
            assertThat(withToken.status()).as("%s: a valid token", entry.name()).isEqualTo(200);
            assertThat(withToken.body()).isEqualTo("/secure/x");
        }
    }

    @Test
    void noSpellingOfAProtectedPathGetsPastAnyEntryAndTheAppsNeverReceiveOne() throws Exception {
        List<String> passed = new ArrayList<>();
        for (Entry entry : entries()) {
            for (String form : PROTECTED_FORMS) {
                for (String target : List.of(form, form.replace("admin", "secure"), absolute(entry, form))) {
                    int status = get(entry, target).status();
                    if (status != 400 && status != 401 && status != 403) {
                        passed.add(entry.name() + " " + printable(target) + " -> " + status);
                    }
                }
            }
        }
        assertThat(passed).as("spellings that were not refused").isEmpty();
        assertThat(resolvedByApps).as("what the apps resolved").noneMatch(path -> path.startsWith("/admin")
                || path.startsWith("/secure") && !path.endsWith("with token"));
    }

    @Test
    void theAppGetsTheNormalizedPathThatThePolicyDecidedOn() throws Exception {
        for (Entry entry : entries()) {
            assertThat(get(entry, "/public/./a/../b/%7Euser?q=%2e%2e").headers().get("x-raw-path")).as(entry.name())
                    .isEqualTo("/public/b/~user?q=%2e%2e");
            assertThat(get(entry, "/public/%61//b").headers().get("x-raw-path")).as("%s: BASE keeps repeated slashes",
                    entry.name()).isEqualTo("/public/a//b");
        }
    }

    @Test
    void aDoubleEncodedPathIsDecodedOnceByNoOneAndStaysOutsideTheProtectedPrefix() throws Exception {
        for (Entry entry : entries()) {
            RawHttp.Response reply = get(entry, "/%2561dmin/x");
            assertThat(reply.headers().get("x-raw-path")).as(entry.name()).isEqualTo("/%2561dmin/x");
            assertThat(reply.body()).as("%s: an app decoding once", entry.name()).isEqualTo("/%61dmin/x");
        }
    }

    @Test
    void aPathParameterSegmentDoesNotHideTheDeniedPrefixFromAnAppThatStripsPathParameters() throws Exception {
        resolvedByApps.clear();
        List<String> passed = new ArrayList<>();
        for (Entry entry : entries()) {
            for (String form : List.of("/;/admin/x", "/;x/admin/x", "/%3B/admin/x", "/public/..%3B/admin/x",
                    "/public/..%3bx/admin/x")) {
                for (String target : List.of(form, form.replace("admin", "secure"), absolute(entry, form))) {
                    RawHttp.Response reply = get(entry, target);
                    if (reply.status() != 400 && reply.status() != 401 && reply.status() != 403) {
                        passed.add(entry.name() + " " + target + " -> " + reply.status() + " app resolved " + reply.body());
                    }
                }
            }
        }
        assertThat(passed).as("spellings that were not refused").isEmpty();
        assertThat(resolvedByApps).as("what the apps resolved").noneMatch(path -> path.startsWith("/admin")
                || path.startsWith("/secure") && !path.endsWith("with token"));
    }

    @Test
    void aSecondTokenPastTheQueryParameterLimitIsRefusedWith401() throws Exception {
        String filler = "a&".repeat(1024);
        List<String> passed = new ArrayList<>();
        for (Entry entry : entries()) {
            RawHttp.Response reply = get(entry, "/secure/x?" + filler + "access_token=" + otherUsersToken,
                    "Authorization: Bearer " + validToken);
            if (reply.status() != 401) {
                passed.add(entry.name() + " -> " + reply.status() + ", app got access_token: "
                        + String.valueOf(reply.headers().get("x-raw-path")).contains("access_token=" + otherUsersToken));
            }
        }
        assertThat(passed).as("requests that carried two tokens and were not refused").isEmpty();
    }

    @Test
    void aSecondTokenInAnAuthorizationHeaderTheProxyDoesNotReadIsRefusedWith401() throws Exception {
        List<String> passed = new ArrayList<>();
        for (Entry entry : entries()) {
            for (String header : List.of("Authorization: Bearer\t" + otherUsersToken)) {
                RawHttp.Response reply = get(entry, "/secure/x?access_token=" + validToken, header);
                if (reply.status() != 401) {
                    passed.add(entry.name() + " " + header.substring(0, Math.min(header.length(), 22)) + "... -> " + reply.status());
                }
            }
        }
        assertThat(passed).as("requests that carried two tokens and were not refused").isEmpty();
    }

    /** What the review tried that was refused as it should be: kept as a regression test. */
    @Test
    void oddTargetsHostsAndTokenSpellingsNeverReachAProtectedPathUnchecked() throws Exception {
        resolvedByApps.clear();
        List<String> passed = new ArrayList<>();
        for (Entry entry : entries()) {
            List<String> requests = new ArrayList<>();
            for (String target : List.of("HTTP://" + entry.host() + "/admin/x", "hTtP://" + entry.host() + "//admin/x",
                    "http://" + entry.host() + "/%2e%2E/admin/x", "/.%2e/admin/x", "/x/%2e%2E/admin/x", "/%252Fadmin/x",
                    "/%c0%ae%c0%ae/admin/x", "/x/%c0%ae%c0%ae/admin/x", "/%u002e/admin/x", "/admin;/x", "/admin%3B/x",
                    "/x/..;x/admin/x", "/x/..%2F..%2Fadmin/x", "/x/%2e%2e%5cadmin/x", "/admin%2F..%2Fx", "/admin%09/x",
                    "/adm%69n/x")) {
                requests.add("GET " + target + " HTTP/1.1\r\nHost: " + entry.host() + "\r\n");
            }
            requests.add("GET /admin/x HTTP/1.0\r\n");
            requests.add("GET http://" + entry.host() + "/admin/x HTTP/1.1\r\nHost: elsewhere.example.com\r\n");
            requests.add("GET /admin/x HTTP/1.1\r\nHost: " + entry.host() + "\r\nHost: elsewhere.example.com\r\n");
            requests.add("GET /secure/x HTTP/1.1\r\nHost: " + entry.host() + "\r\nAuthorization: Bearer " + validToken
                    + "\r\nAuthorization: bearer " + otherUsersToken + "\r\n");
            requests.add("GET /secure/x?access%5Ftoken=" + otherUsersToken + " HTTP/1.1\r\nHost: " + entry.host()
                    + "\r\nAuthorization: Bearer  " + validToken + "\r\n");
            requests.add("GET /secure/x?x=1;access_token=" + otherUsersToken + " HTTP/1.1\r\nHost: " + entry.host()
                    + "\r\nAuthorization: Bearer " + validToken + "\r\n");
            requests.add("GET /secure/x HTTP/1.1\r\nHost: " + entry.host() + "\r\nAuthorization: Bearer " + validToken
                    + "\r\nAuthorization: Bearer " + validToken + "\r\n");
            requests.add("GET /secure/x HTTP/1.1\r\nHost: " + entry.host() + "\r\nConnection: authorization\r\n"
                    + "Authorization: Bearer " + otherUsersToken.substring(0, otherUsersToken.length() - 4) + "AAAA\r\n");
            requests.add("GET /secure/x HTTP/1.1\r\nHost: " + entry.host() + "\r\nAuthorization : Bearer " + validToken
                    + "\r\n");
            for (String request : requests) {
                RawHttp.Response reply = RawHttp.exchange(entry.port(), request + "Connection: close\r\n\r\n");
                if (reply != null && reply.status() < 400
                        && (reply.body().startsWith("/admin") || reply.body().startsWith("/secure"))) {
                    passed.add(entry.name() + " " + request.lines().findFirst().orElse("") + " -> " + reply.status() + " "
                            + reply.body());
                }
            }
        }
        assertThat(passed).as("requests that reached a protected path").isEmpty();
        assertThat(resolvedByApps).as("what the apps resolved").noneMatch(path -> path.startsWith("/admin")
                || path.startsWith("/secure"));
    }

    @Test
    void aSmuggledRequestInABodyNeverReachesAnAppUnchecked() throws Exception {
        resolvedByApps.clear();
        for (Entry entry : entries()) {
            String smuggled = "GET /admin/x HTTP/1.1\r\nHost: " + entry.host() + "\r\n\r\n";
            for (String framing : List.of(
                    "Content-Length: " + (smuggled.length() + 5) + "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
                    "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n" + smuggled,
                    "Transfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n" + smuggled,
                    "Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + smuggled,
                    "Transfer-Encoding:\tchunked\r\n\r\n0\r\n\r\n" + smuggled,
                    "Content-Length: 0\r\nContent-Length: " + smuggled.length() + "\r\n\r\n" + smuggled,
                    "Transfer-Encoding: chunked\r\n\r\n5;ext\r\nhello\r\n0\r\n\r\n" + smuggled)) {
                try (RawHttp raw = new RawHttp(entry.port())) {
                    raw.send("POST /public/x HTTP/1.1\r\nHost: " + entry.host() + "\r\n" + framing);
                    raw.next();
                    raw.next();
                } catch (java.io.IOException closed) {
                    // refused and closed: fine
                }
            }
        }
        assertThat(resolvedByApps).as("what the apps resolved").noneMatch(path -> path.startsWith("/admin"));
    }

    /** The absolute form of a target, as an app using the entry as its HTTP proxy sends it. */
    private static String absolute(Entry entry, String path) {
        return "http://" + entry.host() + path;
    }

    private static String printable(String target) {
        return target.replace("\0", "<NUL>");
    }
}
