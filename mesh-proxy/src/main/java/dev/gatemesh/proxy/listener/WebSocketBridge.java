package dev.gatemesh.proxy.listener;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * A WebSocket upgrade passed through: the upstream handshake first (so a refused upstream is an HTTP answer,
 * not a broken socket), then the caller's, then data frames both ways until either side closes. Control
 * frames stay per hop (each side answers its own pings). The sub-protocol the upstream chose is the one the
 * caller gets.
 */
final class WebSocketBridge {

    /** Besides the hop-by-hop headers: the handshake's own, which each hop makes for itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("sec-websocket-key", "sec-websocket-version",
            "sec-websocket-extensions", "sec-websocket-accept", "sec-websocket-protocol", "content-length");
    private static final int MAX_FRAME = 1 << 20;

    private WebSocketBridge() {
    }

    /** Whether the request asks to switch to the WebSocket protocol. */
    static boolean isUpgrade(HttpServerRequest in) {
        String upgrade = in.requestHeaders().get(HttpHeaderNames.UPGRADE);
        return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains(HttpHeaderValues.WEBSOCKET.toString());
    }

    /** @param wsUrl the upstream's {@code ws://} or {@code wss://} URL */
    static Mono<Void> bridge(HttpClient client, HttpServerRequest in, HttpServerResponse out, String wsUrl, String authority,
                             Consumer<HttpHeaders> extraHeaders, Consumer<Forwarder.Outcome> done) {
        String protocols = in.requestHeaders().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        WebsocketClientSpec.Builder upstreamSpec = WebsocketClientSpec.builder().maxFramePayloadLength(MAX_FRAME);
        if (protocols != null) {
            upstreamSpec.protocols(protocols);
        }
        return client
                .headers(headers -> {
                    HopByHopHeaders.forEachForwarded(in.requestHeaders(), NOT_FORWARDED, headers::add);
                    headers.set(HttpHeaderNames.HOST, authority);
                    extraHeaders.accept(headers);
                })
                .websocket(upstreamSpec.build())
                .uri(wsUrl)
                .handle((upstreamIn, upstreamOut) -> {
                    WebsocketServerSpec.Builder callerSpec = WebsocketServerSpec.builder().maxFramePayloadLength(MAX_FRAME);
                    if (upstreamIn.selectedSubprotocol() != null) {
                        callerSpec.protocols(upstreamIn.selectedSubprotocol());
                    }
                    done.accept(new Forwarder.Outcome(101, "websocket"));
                    // The upstream session lasts as long as the caller's: the caller's upgrade completes early.
                    Sinks.Empty<Void> ended = Sinks.empty();
                    return out.sendWebsocket((callerIn, callerOut) -> Mono.firstWithSignal(
                                    upstreamOut.sendObject(dataFrames(callerIn.receiveFrames())).then(),
                                    callerOut.sendObject(dataFrames(upstreamIn.receiveFrames())).then())
                            .doFinally(signal -> ended.tryEmitEmpty()), callerSpec.build())
                            .then(ended.asMono());
                })
                .then()
                .onErrorResume(error -> {
                    if (out.hasSentHeaders()) {
                        return Mono.empty(); // the session had started: it ends with the connection
                    }
                    String reason = "upstream WebSocket handshake failed: " + error.getMessage();
                    done.accept(new Forwarder.Outcome(503, reason));
                    return Forwarder.refuse(out, 503, reason);
                });
    }

    private static Flux<WebSocketFrame> dataFrames(Flux<WebSocketFrame> frames) {
        return frames.filter(frame -> frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                || frame instanceof ContinuationWebSocketFrame).map(WebSocketFrame::retain);
    }
}
