package dev.gatemesh.server.stream;

import dev.gatemesh.api.protocol.ControlMessage;
import dev.gatemesh.api.protocol.ProtocolCodec;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.ca.TrustBundle;
import dev.gatemesh.ca.pki.Pem;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.server.push.PeerCertificate;
import dev.gatemesh.server.push.ProxyHub;
import dev.gatemesh.server.stream.PeerCertificateFilter.PeerPrincipal;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * One proxy's control-plane stream, opened with a workload certificate ({@link PeerCertificateFilter}):
 * the first frame must be a hello whose namespace and service account are the ones the certificate
 * proves; snapshots go out as the hub hands them over, and when the proxy is behind only the latest
 * unsent one is delivered. A proxy reports each rotated certificate, which must verify and prove the
 * same identity.
 */
public final class ControlPlaneStreamHandler implements WebSocketHandler {

    public static final String PATH = "/v1/stream";

    private static final Logger log = LoggerFactory.getLogger(ControlPlaneStreamHandler.class);

    private final ProxyHub hub;
    private final Supplier<TrustBundle> bundle;
    private final String trustDomain;
    private final Clock clock;

    public ControlPlaneStreamHandler(ProxyHub hub, Supplier<TrustBundle> bundle, String trustDomain, Clock clock) {
        this.hub = hub;
        this.bundle = bundle;
        this.trustDomain = trustDomain;
        this.clock = clock;
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        return session.getHandshakeInfo().getPrincipal().ofType(PeerPrincipal.class)
                .flatMap(peer -> stream(session, peer.certificate()))
                .switchIfEmpty(Mono.defer(() -> session.close(CloseStatus.POLICY_VIOLATION
                        .withReason("the control-plane stream needs a workload certificate"))));
    }

    private Mono<Void> stream(WebSocketSession session, PeerCertificate peer) {
        Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
        Sinks.Many<String> notices = Sinks.many().unicast().onBackpressureBuffer();
        AtomicReference<ProxyHub.Connection> connection = new AtomicReference<>();
        ProxyHub.Outbound sender = new ProxyHub.Outbound() {
            @Override
            public void send(String frame) {
                synchronized (outbound) {
                    outbound.tryEmitNext(frame);
                }
            }

            @Override
            public void notice(String frame) {
                synchronized (notices) {
                    notices.tryEmitNext(frame);
                }
            }

            @Override
            public void close() {
                synchronized (outbound) {
                    outbound.tryEmitComplete();
                }
                synchronized (notices) {
                    notices.tryEmitComplete();
                }
            }
        };
        Mono<Void> input = session.receive()
                .map(WebSocketMessage::getPayloadAsText)
                // Off the event loop: a hello may build a snapshot, and the hub serializes pushes.
                .concatMap(frame -> Mono.fromCallable(() -> {
                    handleFrame(ProtocolCodec.decode(frame), peer, connection, sender);
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
        // Snapshots: only the latest unsent one; notices: every one. Prefetch 1 keeps "latest" meaning latest.
        Mono<Void> output = session.send(Flux.merge(1, outbound.asFlux().onBackpressureLatest(), notices.asFlux())
                        .map(session::textMessage))
                .then(Mono.defer(() -> session.close(CloseStatus.GOING_AWAY)));
        // The stream ends when either side ends: the proxy goes away, or the server closes it.
        return Mono.firstWithSignal(input, output);
    }

    private void handleFrame(ControlMessage message, PeerCertificate peer, AtomicReference<ProxyHub.Connection> connection,
                             ProxyHub.Outbound sender) {
        ProxyHub.Connection current = connection.get();
        if (message instanceof ControlMessage.Hello hello) {
            if (current != null) {
                throw new ProtocolCodec.ProtocolException("hello was already sent on this stream");
            }
            requireProven(hello.node(), peer.identity());
            connection.set(hub.connect(hello.node(), peer, hello.runningVersion(), sender));
            return;
        }
        if (current == null) {
            throw new ProtocolCodec.ProtocolException("the first message must be hello");
        }
        if (message instanceof ControlMessage.Ack ack) {
            hub.ack(current, ack.version());
        } else if (message instanceof ControlMessage.Nack nack) {
            hub.nack(current, nack.version(), nack.reason());
        } else if (message instanceof ControlMessage.Certificate rotated) {
            hub.certified(current, verifyRotated(rotated.chainPem(), peer.identity()));
        } else {
            throw new ProtocolCodec.ProtocolException("a proxy does not send snapshots or notices");
        }
    }

    /** A proxy may only speak for the namespace and service account its certificate proves. */
    private static void requireProven(ProxyNode node, SpiffeId proven) {
        String serviceAccount = node.serviceAccount() == null ? "default" : node.serviceAccount();
        if (!node.namespace().equals(proven.namespace()) || !serviceAccount.equals(proven.serviceAccount())) {
            throw new ProtocolCodec.ProtocolException("the hello claims namespace " + node.namespace() + " and service account "
                    + serviceAccount + ", but the certificate proves " + proven);
        }
    }

    private PeerCertificate verifyRotated(String chainPem, SpiffeId proven) {
        List<X509Certificate> chain;
        try {
            chain = Pem.certificates(chainPem);
        } catch (IllegalArgumentException e) {
            throw new ProtocolCodec.ProtocolException("the reported certificate is not PEM");
        }
        try {
            SpiffeId identity = bundle.get().verify(chain, clock.instant(), trustDomain);
            if (!identity.equals(proven)) {
                throw new ProtocolCodec.ProtocolException("the reported certificate is for " + identity + ", not " + proven);
            }
            return new PeerCertificate(identity, chain);
        } catch (TrustBundle.Untrusted e) {
            throw new ProtocolCodec.ProtocolException("the reported certificate does not verify: " + e.getMessage());
        }
    }

    private static String truncate(String reason) {
        return reason.length() > 120 ? reason.substring(0, 120) : reason;
    }
}
