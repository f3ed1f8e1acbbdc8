package dev.gatemesh.bench;

import dev.gatemesh.api.protocol.ControlMessage;
import dev.gatemesh.api.protocol.ProtocolCodec;
import dev.gatemesh.api.snapshot.ProxyNode;
import io.netty.handler.ssl.SslContext;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * A simulated proxy: speaks the real protocol over a real WebSocket with mutual TLS, but acknowledges a snapshot as
 * soon as it has read its version, without decoding it. Stands for proxies that each decode on their
 * own CPU, so that N of them on one 2-core machine measure the control plane, not N decoders.
 */
final class LightProxy implements AutoCloseable {

    private static final String VERSION_KEY = "\"version\":\"";

    private final Disposable connection;

    LightProxy(String uri, SslContext tls, ProxyNode node) {
        Sinks.Many<String> replies = Sinks.many().unicast().onBackpressureBuffer();
        replies.tryEmitNext(ProtocolCodec.encode(new ControlMessage.Hello(node, null)));
        connection = HttpClient.create()
                .secure(spec -> spec.sslContext(tls))
                .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(16 << 20).build())
                .uri(uri)
                .handle((in, out) -> {
                    Mono<Void> receive = in.aggregateFrames(16 << 20).receive().asString()
                            .doOnNext(frame -> {
                                int start = frame.indexOf(VERSION_KEY) + VERSION_KEY.length();
                                String version = frame.substring(start, frame.indexOf('"', start));
                                synchronized (replies) {
                                    replies.tryEmitNext(ProtocolCodec.encode(new ControlMessage.Ack(version)));
                                }
                            }).then();
                    return Mono.zip(receive, out.sendString(replies.asFlux()).then()).then();
                })
                .then()
                .subscribe();
    }

    @Override
    public void close() {
        connection.dispose();
    }
}
