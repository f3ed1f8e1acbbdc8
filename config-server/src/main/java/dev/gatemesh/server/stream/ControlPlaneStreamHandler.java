package dev.gatemesh.server.stream;

import dev.gatemesh.api.protocol.ControlMessage;
import dev.gatemesh.api.protocol.ProtocolCodec;
import dev.gatemesh.server.push.ProxyHub;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * One proxy's control-plane stream: the first frame must be a hello; snapshots go out as the hub
 * hands them over, and when the proxy is behind only the latest unsent one is delivered.
 */
public final class ControlPlaneStreamHandler implements WebSocketHandler {

    public static final String PATH = "/v1/stream";

    private static final Logger log = LoggerFactory.getLogger(ControlPlaneStreamHandler.class);

    private final ProxyHub hub;

    public ControlPlaneStreamHandler(ProxyHub hub) {
        this.hub = hub;
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
        AtomicReference<ProxyHub.Connection> connection = new AtomicReference<>();
        ProxyHub.Outbound sender = new ProxyHub.Outbound() {
            @Override
            public void send(String frame) {
                synchronized (outbound) {
                    outbound.tryEmitNext(frame);
                }
            }

            @Override
            public void close() {
                synchronized (outbound) {
                    outbound.tryEmitComplete();
                }
            }
        };
        Mono<Void> input = session.receive()
                .map(WebSocketMessage::getPayloadAsText)
                // Off the event loop: a hello may build a snapshot, and the hub serializes pushes.
                .concatMap(frame -> Mono.fromCallable(() -> {
                    handleFrame(ProtocolCodec.decode(frame), connection, sender);
                    return true;
                }).subscribeOn(Schedulers.boundedElastic()).then().onErrorResume(ProtocolCodec.ProtocolException.class, e -> {
                    log.warn("Closing a control-plane stream from {}: {}", session.getHandshakeInfo().getRemoteAddress(),
                            e.getMessage());
                    return session.close(CloseStatus.POLICY_VIOLATION.withReason(truncate(e.getMessage())));
                }))
                .then()
                .doFinally(signal -> {
                    sender.close();
                    ProxyHub.Connection closed = connection.get();
                    if (closed != null) {
                        hub.disconnect(closed);
                    }
                });
        Mono<Void> output = session.send(outbound.asFlux().onBackpressureLatest().map(session::textMessage))
                .then(Mono.defer(() -> session.close(CloseStatus.GOING_AWAY)));
        // The stream ends when either side ends: the proxy goes away, or the server closes it.
        return Mono.firstWithSignal(input, output);
    }

    private void handleFrame(ControlMessage message, AtomicReference<ProxyHub.Connection> connection,
                             ProxyHub.Outbound sender) {
        ProxyHub.Connection current = connection.get();
        if (message instanceof ControlMessage.Hello hello) {
            if (current != null) {
                throw new ProtocolCodec.ProtocolException("hello was already sent on this stream");
            }
            connection.set(hub.connect(hello.node(), hello.runningVersion(), sender));
            return;
        }
        if (current == null) {
            throw new ProtocolCodec.ProtocolException("the first message must be hello");
        }
        if (message instanceof ControlMessage.Ack ack) {
            hub.ack(current, ack.version());
        } else if (message instanceof ControlMessage.Nack nack) {
            hub.nack(current, nack.version(), nack.reason());
        } else {
            throw new ProtocolCodec.ProtocolException("a proxy does not send snapshots");
        }
    }

    private static String truncate(String reason) {
        return reason.length() > 120 ? reason.substring(0, 120) : reason;
    }
}
