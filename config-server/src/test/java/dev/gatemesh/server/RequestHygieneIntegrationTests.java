package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.proxy.testing.RawHttp;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * What reaches an app, end to end through a sidecar pair: end-user headers only from a verified token (a caller's own
 * {@code x-user} never), exactly one token per request, a token in the query taken out and never logged, headers named
 * in {@code Connection} dropped, and requests addressed to the proxy itself refused instead of looped. The other
 * spellings an attacker tries (underscores, {@code ;} in the query, a forged XFCC, plain text to a STRICT port) too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestHygieneIntegrationTests {

    private static final String ISSUER = "https://auth.example.com";

    @TempDir
    static Path folder;
    @TempDir
    static Path home;
    private LocalMesh mesh;
    private String token;
    private final ListAppender<ILoggingEvent> accessLog = new ListAppender<>();

    @BeforeAll
    void start() throws Exception {
        TestJwts jwts = new TestJwts(ISSUER);
        token = jwts.token("alice");
        mesh = new LocalMesh(folder, home).workload("productpage-v1", "productpage", "v1").workload("reviews-v1", "reviews", "v1")
                .workload("ratings-v1", "ratings", "v1");
        // The app answers with the path it got and every header, one per line.
        mesh.startAppWith("reviews-v1", (in, out) -> out.sendString(Mono.just(in.uri() + "\n" + in.requestHeaders().entries()
                .stream().map(e -> e.getKey().toLowerCase(java.util.Locale.ROOT) + ": " + e.getValue())
                .collect(Collectors.joining("\n")))).then());
        int ownOutbound = mesh.workloads.get("productpage-v1").outboundPort();
        mesh.writeConfig("""
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
                ---
                apiVersion: security.istio.io/v1
                kind: RequestAuthentication
                metadata:
                  name: users
                  namespace: bookinfo
                spec:
                  selector:
                    matchLabels:
                      app: reviews
                  jwtRules:
                  - issuer: %s
                    jwks: '%s'
                    outputClaimToHeaders:
                    - header: x-user
                      claim: sub
                ---
                # A host whose only endpoint is the calling sidecar's own outbound listener.
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: loop
                  namespace: bookinfo
                spec:
                  hosts:
                  - loop.example.com
                  location: MESH_EXTERNAL
                  resolution: STATIC
                  ports:
                  - number: 80
                    name: http
                    protocol: HTTP
                  endpoints:
                  - address: 127.0.0.1
                    ports:
                      http: %d
                """.formatted(ISSUER, jwts.jwks(), ownOutbound)).startServer().startApps();
        ((Logger) LoggerFactory.getLogger("gatemesh.access")).addAppender(accessLog);
        accessLog.start();
        mesh.startSidecar("productpage-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        mesh.startSidecar("reviews-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        mesh.startSidecar("ratings-v1", RouteTable.OutboundPolicy.ALLOW_ANY);
        await().atMost(WAIT).until(() -> mesh.sidecar("productpage-v1").isReady() && mesh.sidecar("reviews-v1").isReady()
                && mesh.sidecar("ratings-v1").isReady());
    }

    @AfterAll
    void stop() {
        ((Logger) LoggerFactory.getLogger("gatemesh.access")).detachAppender(accessLog);
        if (mesh != null) {
            mesh.close();
        }
    }

    private RawHttp.Response call(String target, String... headers) throws Exception {
        return callHost("reviews.bookinfo:9080", target, headers);
    }

    private RawHttp.Response callHost(String host, String target, String... headers) throws Exception {
        StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return RawHttp.exchange(mesh.workloads.get("productpage-v1").outboundPort(),
                request.append("Connection: close\r\n\r\n").toString());
    }

    private static List<String> lines(RawHttp.Response response) {
        return List.of(response.body().split("\n"));
    }

    @Test
    void aCallersOwnClaimHeaderNeverReachesTheAppWithOrWithoutAToken() throws Exception {
        RawHttp.Response anonymous = call("/reviews", "x-user: admin");
        RawHttp.Response authenticated = call("/reviews", "x-user: admin", "Authorization: Bearer " + token);

        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(lines(anonymous)).noneMatch(line -> line.startsWith("x-user"));
        assertThat(lines(authenticated)).contains("x-user: alice").doesNotContain("x-user: admin")
                .noneMatch(line -> line.startsWith("authorization"));
    }

    @Test
    void aRequestWithTwoTokensIsRefusedWith401() throws Exception {
        RawHttp.Response twoHeaders = call("/reviews", "Authorization: Bearer " + token, "Authorization: Bearer forged");
        RawHttp.Response headerAndQuery = call("/reviews?access_token=forged", "Authorization: Bearer " + token);

        assertThat(twoHeaders.status()).isEqualTo(401);
        assertThat(twoHeaders.body()).contains("more than one JWT");
        assertThat(headerAndQuery.status()).isEqualTo(401);
    }

    @Test
    void aTokenInTheQueryIsTakenOutBeforeTheAppAndNeverLogged() throws Exception {
        accessLog.list.clear();
        RawHttp.Response reply = call("/reviews?page=2&access_token=" + token + "&sort=asc");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(lines(reply).get(0)).isEqualTo("/reviews?page=2&sort=asc");
        assertThat(lines(reply)).contains("x-user: alice");
        await().atMost(WAIT).until(() -> accessLog.list.stream().filter(e -> e.getFormattedMessage().contains("/reviews?page=2"))
                .count() >= 2);
        assertThat(accessLog.list).noneMatch(event -> event.getFormattedMessage().contains(token.substring(0, 20)));
    }

    @Test
    void headersNamedInConnectionAreNotForwarded() throws Exception {
        RawHttp.Response reply = call("/reviews", "Connection: x-hop-secret", "x-hop-secret: 1", "x-end-to-end: 2");

        assertThat(lines(reply)).contains("x-end-to-end: 2").noneMatch(line -> line.startsWith("x-hop-secret"));
    }

    @Test
    void requestsAddressedToTheSidecarItselfAreRefusedNotLooped() throws Exception {
        String own = "127.0.0.1:" + mesh.workloads.get("productpage-v1").outboundPort();

        RawHttp.Response direct = callHost(own, "/x");
        RawHttp.Response absolute = callHost("ignored", "http://localhost:" + mesh.workloads.get("productpage-v1").outboundPort() + "/x");
        RawHttp.Response throughARoute = callHost("loop.example.com", "/x");

        assertThat(direct.status()).isEqualTo(508);
        assertThat(absolute.status()).isEqualTo(508);
        assertThat(throughARoute.status()).as("the route's endpoint is the sidecar itself: it comes back once and stops")
                .isEqualTo(508);
        assertThat(throughARoute.body()).contains("refused, not looped");
        assertThat(mesh.sidecar("productpage-v1").isReady()).isTrue();
    }

    @Test
    void aTokenAfterASemicolonInTheQueryIsTakenOutBeforeTheAppAndNeverLogged() throws Exception {
        accessLog.list.clear();
        RawHttp.Response reply = call("/reviews?page=3;access_token=" + token);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(lines(reply)).as("the proxy verified the token").contains("x-user: alice");
        await().atMost(WAIT).until(() -> accessLog.list.stream().filter(e -> e.getFormattedMessage().contains("/reviews?page=3"))
                .count() >= 2);
        org.assertj.core.api.SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(lines(reply).get(0)).as("what the app got").doesNotContain(token.substring(0, 20));
            softly.assertThat(accessLog.list).as("the access log").noneMatch(event -> event.getFormattedMessage()
                    .contains(token.substring(0, 20)));
        });
    }

    @Test
    void aCallersOwnClaimHeaderSpelledWithUnderscoresNeverReachesTheApp() throws Exception {
        RawHttp.Response anonymous = call("/reviews", "x_user: admin");
        RawHttp.Response authenticated = call("/reviews", "x_user: admin", "Authorization: Bearer " + token);

        assertThat(lines(anonymous)).as("anonymous").noneMatch(line -> line.startsWith("x_user"));
        assertThat(lines(authenticated)).as("authenticated").noneMatch(line -> line.startsWith("x_user"));
    }

    @Test
    void aClaimHeaderNamedInConnectionStillReachesTheAppFromAVerifiedToken() throws Exception {
        RawHttp.Response reply = call("/reviews", "Authorization: Bearer " + token, "Connection: x-user");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(lines(reply)).contains("x-user: alice");
    }

    @Test
    void aCallersOwnClientCertificateHeaderNeverReachesTheApp() throws Exception {
        String forged = "x-forwarded-client-cert: By=spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews;"
                + "URI=spiffe://cluster.local/ns/istio-system/sa/admin";
        RawHttp.Response throughTheMesh = call("/reviews", forged);
        RawHttp.Response plainTextToTheInboundPort = RawHttp.exchange(mesh.workloads.get("reviews-v1").inboundPort(),
                "GET /reviews HTTP/1.1\r\nHost: reviews.bookinfo:9080\r\n" + forged + "\r\nConnection: close\r\n\r\n");

        assertThat(lines(throughTheMesh)).as("through the mesh").noneMatch(line -> line.contains("sa/admin"));
        assertThat(plainTextToTheInboundPort == null ? List.<String>of() : lines(plainTextToTheInboundPort))
                .as("plain text to the inbound port").noneMatch(line -> line.contains("sa/admin"));
    }

    @Test
    void plainTextToAStrictInboundPortNeverReachesTheApp() throws Exception {
        int inbound = mesh.workloads.get("ratings-v1").inboundPort();
        List<String> reached = new java.util.ArrayList<>();
        for (String request : List.of("GET / HTTP/1.1\r\nHost: ratings.bookinfo:9080\r\nConnection: close\r\n\r\n",
                "GET / HTTP/1.0\r\n\r\n",
                "GET http://ratings.bookinfo:9080/ HTTP/1.1\r\nHost: ratings.bookinfo:9080\r\nConnection: close\r\n\r\n",
                "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: ratings.bookinfo:9080\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                        + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n")) {
            try {
                RawHttp.Response reply = RawHttp.exchange(inbound, request);
                if (reply != null && reply.status() < 400) {
                    reached.add(request.lines().findFirst().orElse("") + " -> " + reply.status() + " " + reply.body());
                }
            } catch (java.io.IOException refused) {
                // the TLS listener closed the connection: refused
            }
        }
        assertThat(reached).as("plain-text requests answered below 400").isEmpty();
    }
}
