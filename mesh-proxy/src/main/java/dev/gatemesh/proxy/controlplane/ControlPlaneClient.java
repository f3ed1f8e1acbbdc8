package dev.gatemesh.proxy.controlplane;

import dev.gatemesh.api.protocol.ControlMessage;
import dev.gatemesh.api.protocol.ProtocolCodec;
import dev.gatemesh.api.snapshot.ProxySnapshot;
import dev.gatemesh.api.snapshot.SnapshotCodec;
import dev.gatemesh.ca.identity.IdentityMaterial;
import dev.gatemesh.ca.identity.WorkloadIdentity;
import dev.gatemesh.ca.pki.Pem;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * A proxy's side of the control-plane stream: connects over mutual TLS with the workload certificate
 * (the server must prove the control plane's identity), says hello with the version it runs, applies
 * every snapshot through the {@link SnapshotHandler} and answers ACK or NACK. When the control plane
 * is unreachable it keeps the last good snapshot and reconnects with jittered exponential backoff. After
 * every certificate rotation it reports the new chain on the open stream, and later connections present it.
 */
public final class ControlPlaneClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlPlaneClient.class);

    private final ControlPlaneClientSettings settings;
    private final SnapshotHandler handler;
    private final ControlPlaneEvents events;
    private final HttpClient.WebsocketSender websocket;
    private final SslContext tls;
    private final AtomicReference<Sinks.Many<String>> openStream = new AtomicReference<>();
    private final AtomicReference<ProxySnapshot> current = new AtomicReference<>();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicReference<Disposable> connection = new AtomicReference<>();
    private volatile boolean connected;
    private volatile boolean closed;

    /** @param identity this proxy's certificate, already obtained (the client presents the current one) */
    public ControlPlaneClient(ControlPlaneClientSettings settings, WorkloadIdentity identity, SnapshotHandler handler) {
        this(settings, identity, handler, new ControlPlaneEvents());
    }

    /** @param events where the control plane's notices (not snapshots) go */
    public ControlPlaneClient(ControlPlaneClientSettings settings, WorkloadIdentity identity, SnapshotHandler handler,
                              ControlPlaneEvents events) {
        this(settings, identity, handler, events, null);
    }

    /** @param loops the event loop the stream runs on, or null for reactor-netty's shared ones */
    public ControlPlaneClient(ControlPlaneClientSettings settings, WorkloadIdentity identity, SnapshotHandler handler,
                              ControlPlaneEvents events, reactor.netty.resources.LoopResources loops) {
        this.settings = settings;
        this.handler = handler;
        this.events = events;
        this.tls = ControlPlaneTls.stream(identity, settings.controlPlaneIdentity(), Clock.systemUTC());
        HttpClient client = HttpClient.create();
        if (loops != null) {
            client = client.runOn(loops);
        }
        this.websocket = client
                .secure(spec -> spec.sslContext(tls))
                .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(settings.maxFrameBytes()).build());
        identity.onRotation(this::rotated);
    }

    private void rotated(IdentityMaterial material) {
        ControlPlaneTls.forgetSessions(tls);
        Sinks.Many<String> stream = openStream.get();
        if (stream != null) {
            synchronized (stream) {
                stream.tryEmitNext(ProtocolCodec.encode(new ControlMessage.Certificate(Pem.encodeCertificates(material.chain()))));
            }
        }
    }

    public void start() {
        connect();
    }

    /** The snapshot in force: the last one applied, kept while the control plane is away. */
    public Optional<ProxySnapshot> current() {
        return Optional.ofNullable(current.get());
    }

    public boolean isConnected() {
        return connected;
    }

    private void connect() {
        if (closed) {
            return;
        }
        Sinks.Many<String> replies = Sinks.many().unicast().onBackpressureBuffer();
        ProxySnapshot running = current.get();
        replies.tryEmitNext(ProtocolCodec.encode(new ControlMessage.Hello(settings.node(),
                running == null ? null : running.version())));
        Disposable subscription = websocket.uri(settings.uri().toString())
                .handle((in, out) -> {
                    connected = true;
                    openStream.set(replies);
                    Mono<Void> receive = in.aggregateFrames(settings.maxFrameBytes()).receive().asString()
                            .doOnNext(frame -> {
                                String reply = onFrame(frame);
                                if (reply != null) {
                                    synchronized (replies) {
                                        replies.tryEmitNext(reply);
                                    }
                                }
                            })
                            .then()
                            .doFinally(signal -> {
                                openStream.compareAndSet(replies, null);
                                synchronized (replies) {
                                    replies.tryEmitComplete();
                                }
                            });
                    Mono<Void> send = out.sendString(replies.asFlux()).then();
                    return Mono.zip(receive, send).then();
                })
                .then()
                .subscribe(ignored -> { }, this::disconnected, () -> disconnected(null));
        Disposable previous = connection.getAndSet(subscription);
        if (previous != null) {
            previous.dispose();
        }
    }

    /** Handles one frame from the server and returns the reply, or null when the frame needs none. */
    String onFrame(String frame) {
        ControlMessage message;
        try {
            message = ProtocolCodec.decode(frame);
        } catch (ProtocolCodec.UnknownMessageType e) {
            log.debug("Ignoring a control-plane message of a newer protocol: {}", e.getMessage());
            return null;
        }
        if (message instanceof ControlMessage.PropertiesChanged changed) {
            events.publish(changed);
            return null;
        }
        if (!(message instanceof ControlMessage.Snapshot pushed)) {
            throw new ProtocolCodec.ProtocolException("unexpected message from the control plane: " + frame);
        }
        ProxySnapshot running = current.get();
        if (running != null && running.version().equals(pushed.version())) {
            return ProtocolCodec.encode(new ControlMessage.Ack(pushed.version()));
        }
        SnapshotCodec.Decoded decoded = SnapshotCodec.decode(pushed.body(), settings.options());
        if (!decoded.ok()) {
            return nack(pushed.version(), String.join("; ", decoded.errors()));
        }
        try {
            handler.apply(decoded.snapshot());
        } catch (Exception e) {
            return nack(pushed.version(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        current.set(decoded.snapshot());
        failedAttempts.set(0);
        log.info("Applied snapshot {} ({} services, {} resources)", decoded.snapshot().version(),
                decoded.snapshot().services().size(), decoded.snapshot().resources().size());
        return ProtocolCodec.encode(new ControlMessage.Ack(pushed.version()));
    }

    private String nack(String version, String reason) {
        log.warn("Refused snapshot {}; keeping {}: {}", version,
                current.get() == null ? "no configuration" : current.get().version(), reason);
        return ProtocolCodec.encode(new ControlMessage.Nack(version, reason));
    }

    private void disconnected(Throwable error) {
        connected = false;
        if (closed) {
            return;
        }
        int attempt = failedAttempts.getAndIncrement();
        Duration delay = settings.backoff().delay(attempt);
        String message = "Control plane {} unreachable ({}); keeping {}, reconnecting in {} ms";
        Object[] args = {settings.uri(), error == null ? "stream closed" : error.getMessage(),
                current.get() == null ? "no configuration yet" : "snapshot " + current.get().version(), delay.toMillis()};
        if (attempt == 0) {
            log.warn(message, args);
        } else {
            log.debug(message, args);
        }
        Mono.delay(delay).subscribe(tick -> connect());
    }

    @Override
    public void close() {
        closed = true;
        Disposable active = connection.getAndSet(null);
        if (active != null) {
            active.dispose();
        }
        connected = false;
    }
}
