package dev.gatemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.proxy.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;

/**
 * A listener made by {@link ListenerServers} with a trivial handler, driven with exact bytes on a socket: what the
 * parsing stage refuses never reaches the handler, and what it lets through is answered in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrictHttpParsingIntegrationTests {

    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(1);

    private final LoopResources loops = LoopResources.create("strict-http-test", 2, true);
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private DisposableServer server;

    @BeforeAll
    void start() {
        HttpListenerSettings settings = HttpListenerSettings.DEFAULTS.withTimeouts(HEADERS_TIMEOUT, Duration.ofSeconds(30));
        server = new ListenerServers(loops, settings).create(ConnectRequests.REFUSE).host("127.0.0.1").port(0)
                .handle((in, out) -> {
                    handled.add(in.method() + " " + in.uri() + " host=" + in.requestHeaders().get("host"));
                    byte[] body = (in.method() + " " + in.uri()).getBytes(StandardCharsets.UTF_8);
                    return out.header("content-length", String.valueOf(body.length)).sendByteArray(Mono.just(body)).then();
                })
                .bindNow();
    }

    @AfterAll
    void stop() {
        server.disposeNow();
        loops.disposeLater().block(Duration.ofSeconds(10));
    }

    @BeforeEach
    void forget() {
        handled.clear();
    }

    private RawHttp.Response refused(String request) throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            RawHttp.Response response = http.send(request).next();
            assertThat(response).as("an answer to %s", request).isNotNull();
            assertThat(response.headers()).containsEntry("connection", "close").containsEntry("content-type", "text/plain; charset=utf-8");
            assertThat(http.closedWithin(Duration.ofSeconds(5))).as("the connection is closed after the refusal").isTrue();
            assertThat(handled).as("the handler never saw it").isEmpty();
            return response;
        }
    }

    @Test
    void refusesTargetsThatAreNotAPathOrAnAbsoluteUrl() throws IOException {
        assertThat(refused("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").body())
                .isEqualTo("asterisk-form request target (*) refused: send a path starting with /\n");
        assertThat(refused("GET admin/x HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(400);
        RawHttp.Response at = refused("GET @127.0.0.1:19999/x HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(at.status()).isEqualTo(400);
        assertThat(at.body()).as("never echoes the request").doesNotContain("19999")
                .isEqualTo("invalid request target: expected a path starting with / or an absolute http(s) URL\n");
    }

    @Test
    void refusesConnectWith403() throws IOException {
        RawHttp.Response connect = refused("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");

        assertThat(connect.status()).isEqualTo(403);
        assertThat(connect.body()).isEqualTo("CONNECT refused: this listener forwards HTTP requests and never opens tunnels\n");
    }

    @Test
    void refusesUnsupportedVersions() throws IOException {
        assertThat(refused("GET / HTTP/9.9\r\nHost: a\r\n\r\n").statusLine()).startsWith("HTTP/1.1 505");
        assertThat(refused("GET / HTTP/1.2\r\nHost: a\r\n\r\n").status()).isEqualTo(400);
        assertThat(refused("GET / HTTP/1.1x\r\nHost: a\r\n\r\n").body()).isEqualTo("invalid HTTP version\n");
    }

    @Test
    void refusesAMissingOrDuplicateHost() throws IOException {
        assertThat(refused("GET / HTTP/1.1\r\n\r\n").body()).isEqualTo("missing Host header (required in HTTP/1.1)\n");
        assertThat(refused("GET / HTTP/1.1\r\nHost: reviews\r\nHost: ratings\r\n\r\n").body())
                .isEqualTo("more than one Host header\n");
    }

    @Test
    void refusesControlCharactersInTheTarget() throws IOException {
        assertThat(refused("GET /a\u0000b HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(400);
        assertThat(refused("GET /a\u0001b HTTP/1.1\r\nHost: a\r\n\r\n").body())
                .isEqualTo("control character, space or non-ASCII byte in the request target\n");
    }

    @Test
    void refusesBadHeaderNamesValuesAndContentLengths() throws IOException {
        assertThat(refused("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n").status()).isEqualTo(400);
        assertThat(refused("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\u0000c\r\n\r\n").status()).isEqualTo(400);
        assertThat(refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab").body())
                .isEqualTo("invalid or conflicting Content-Length\n");
        assertThat(refused("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n").status()).isEqualTo(400);
    }

    @Test
    void answersTooLongRequestLinesWith414AndTooLargeHeadersWith431() throws IOException {
        assertThat(refused("GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: a\r\n\r\n").body())
                .isEqualTo("request line longer than 4096 bytes\n");
        assertThat(refused("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n").status()).isEqualTo(431);
    }

    @Test
    void answersPipelinedRequestsInOrder() throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            http.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\nGET /second HTTP/1.1\r\nHost: a\r\n\r\n");

            assertThat(http.next().body()).isEqualTo("GET /first");
            assertThat(http.next().body()).isEqualTo("GET /second");
        }
    }

    @Test
    void aRefusedPipelinedRequestIsAnsweredAfterTheGoodOnesBeforeIt() throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            http.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\nGET * HTTP/1.1\r\nHost: a\r\n\r\nGET /third HTTP/1.1\r\nHost: a\r\n\r\n");

            assertThat(http.next().body()).isEqualTo("GET /first");
            assertThat(http.next().status()).isEqualTo(400);
            assertThat(http.next()).as("nothing after the refusal: the connection closes").isNull();
        }
        assertThat(handled).containsExactly("GET /first host=a");
    }

    @Test
    void theAuthorityOfAnAbsoluteTargetIsTheHostTheHandlerSees() throws IOException {
        RawHttp.Response response = RawHttp.exchange(server.port(), "GET http://reviews:9080/x HTTP/1.1\r\nHost: ratings\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(handled).containsExactly("GET http://reviews:9080/x host=reviews:9080");
    }

    @Test
    void closesAClientThatDribblesItsHeadersWithin408AfterTheTimeout() throws Exception {
        try (RawHttp http = new RawHttp(server.port())) {
            long start = System.nanoTime();
            String request = "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: " + "s".repeat(100);
            boolean closed = false;
            for (int i = 0; i < request.length() && !closed; i++) {
                try {
                    http.send(request.substring(i, i + 1));
                } catch (IOException reset) {
                    closed = true;
                    break;
                }
                closed = http.closedWithin(Duration.ofMillis(100));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(closed).isTrue();
            assertThat(took).isBetween(HEADERS_TIMEOUT, HEADERS_TIMEOUT.plusSeconds(2));
        }
        assertThat(handled).isEmpty();
    }

    @Test
    void slowHeaderSendersDoNotStopOtherRequestsBeingServed() throws Exception {
        List<RawHttp> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                slow.add(new RawHttp(server.port()).send("GET / HTTP/1.1\r\nHo"));
            }
            RawHttp.Response normal = RawHttp.exchange(server.port(), "GET /normal HTTP/1.1\r\nHost: a\r\n\r\n");

            assertThat(normal.body()).isEqualTo("GET /normal");
            for (RawHttp connection : slow) {
                assertThat(connection.closedWithin(HEADERS_TIMEOUT.plusSeconds(2))).isTrue();
            }
        } finally {
            for (RawHttp connection : slow) {
                connection.close();
            }
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsNotClosedByTheHeadersTimeout() throws IOException {
        try (RawHttp http = new RawHttp(server.port())) {
            assertThat(http.send("GET /one HTTP/1.1\r\nHost: a\r\n\r\n").next().status()).isEqualTo(200);

            assertThat(http.closedWithin(HEADERS_TIMEOUT.plusSeconds(1))).isFalse();
            assertThat(http.send("GET /two HTTP/1.1\r\nHost: a\r\n\r\n").next().body()).isEqualTo("GET /two");
        }
    }
}
