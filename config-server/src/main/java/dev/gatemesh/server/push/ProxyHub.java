package dev.gatemesh.server.push;

import dev.gatemesh.api.protocol.ProtocolCodec;
import dev.gatemesh.api.snapshot.MeshConfig;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxySnapshot;
import dev.gatemesh.api.snapshot.SnapshotBuilder;
import dev.gatemesh.api.snapshot.SnapshotCodec;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connected proxies and what they were sent. On every configuration change it rebuilds the
 * snapshot of each affected class of proxy once, and hands the frame to each proxy of that class
 * whose version differs; the stream delivers only the latest frame to a proxy that is behind, so a
 * slow proxy never holds others up. Tracks ACK/NACK per proxy.
 */
public final class ProxyHub {

    private static final Logger log = LoggerFactory.getLogger(ProxyHub.class);

    /** Where a connection's frames go (the stream keeps only the latest unsent one). */
    public interface Outbound {
        void send(String frame);

        /** A notice (not a snapshot): delivered besides the snapshots, never in place of one. */
        default void notice(String frame) {
            send(frame);
        }

        /** Ends the stream (the proxy reconnects, to this or another replica). */
        void close();
    }

    /**
     * The configuration a proxy runs with: the snapshot it acknowledged last, or, when it has acknowledged
     * none yet, the last one sent to it ({@code acknowledged} false); {@code snapshot} is null when nothing
     * was sent yet.
     */
    public record InForce(ProxyStatus status, ProxySnapshot snapshot, boolean acknowledged) {
    }

    /** The snapshots given to one connection: the latest sent, and the latest it acknowledged. */
    private record Delivered(ProxySnapshot sent, ProxySnapshot acked) {
        static final Delivered NONE = new Delivered(null, null);

        Delivered ack(String version) {
            return sent != null && sent.version().equals(version) ? new Delivered(sent, sent) : this;
        }
    }

    /** One connected proxy. */
    public static final class Connection {
        private final ProxyNode node;
        private final Outbound outbound;
        private final AtomicReference<ProxyStatus> status;
        private final AtomicReference<Delivered> delivered = new AtomicReference<>(Delivered.NONE);

        Connection(ProxyNode node, Outbound outbound, ProxyStatus status) {
            this.node = node;
            this.outbound = outbound;
            this.status = new AtomicReference<>(status);
        }

        public ProxyNode node() {
            return node;
        }

        public ProxyStatus status() {
            return status.get();
        }
    }

    private record ClassSnapshot(ProxySnapshot snapshot, String frame) {
    }

    private final Clock clock;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<ProxyNode.ProxyClass, ClassSnapshot> snapshots = new HashMap<>();
    private final Object pushLock = new Object();
    private MeshConfig config;
    private boolean ready;

    /** A hub sends nothing until the source's first state arrives: an empty mesh is never pushed by default. */
    public ProxyHub(MeshConfig initial, Clock clock) {
        this.config = initial;
        this.clock = clock;
    }

    public Connection connect(ProxyNode node, String runningVersion, Outbound outbound) {
        return connect(node, null, runningVersion, outbound);
    }

    /** A proxy whose stream presented {@code certificate} (already verified) says hello. */
    public Connection connect(ProxyNode node, PeerCertificate certificate, String runningVersion, Outbound outbound) {
        synchronized (pushLock) {
            var now = clock.instant();
            ProxyStatus status = new ProxyStatus(node, now, null, null, null, null, null, null, certificate);
            Connection connection = new Connection(node, outbound, status);
            Connection replaced = connections.put(node.id(), connection);
            if (replaced != null) {
                log.info("Proxy {} reconnected; the previous stream is superseded", node.id());
            }
            if (!ready) {
                return connection; // served when the source has read everything
            }
            ClassSnapshot current = snapshotFor(node.proxyClass());
            if (current.snapshot().version().equals(runningVersion)) {
                connection.status.set(status.sent(runningVersion, now).acked(runningVersion, now));
                connection.delivered.set(new Delivered(current.snapshot(), current.snapshot()));
            } else {
                send(connection, current);
            }
            return connection;
        }
    }

    public void ack(Connection connection, String version) {
        connection.delivered.updateAndGet(d -> d.ack(version));
        connection.status.updateAndGet(s -> s.acked(version, clock.instant()));
    }

    public void nack(Connection connection, String version, String reason) {
        log.warn("Proxy {} refused snapshot {}: {}", connection.node.id(), version, reason);
        connection.status.updateAndGet(s -> s.nacked(version, reason));
    }

    /** The proxy rotated its certificate (already verified as the same identity). */
    public void certified(Connection connection, PeerCertificate certificate) {
        connection.status.updateAndGet(s -> s.certified(certificate));
    }

    public void disconnect(Connection connection) {
        connections.remove(connection.node.id(), connection);
    }

    /** Sends a notice (a frame that is not a snapshot and needs no answer) to every connected proxy. */
    public void broadcast(String frame) {
        connections.values().forEach(c -> c.outbound.notice(frame));
    }

    /** Ends every stream, on shutdown, so that proxies reconnect elsewhere at once. */
    public void closeAll() {
        connections.values().forEach(c -> c.outbound.close());
    }

    /** Pushes what the change means to every affected class of connected proxy. */
    public void configChanged(MeshConfig before, MeshConfig after) {
        synchronized (pushLock) {
            config = after;
            boolean first = !ready;
            ready = true;
            ConfigDiff diff = ConfigDiff.between(before, after);
            Set<ProxyNode.ProxyClass> connected = connections.values().stream()
                    .map(c -> c.node.proxyClass()).collect(Collectors.toSet());
            snapshots.keySet().retainAll(connected);
            if (diff.isEmpty() && !first) {
                return;
            }
            for (ProxyNode.ProxyClass proxyClass : connected) {
                ClassSnapshot cached = snapshots.get(proxyClass);
                if (!first && cached != null && !diff.affects(proxyClass)) {
                    continue;
                }
                snapshots.remove(proxyClass);
                ClassSnapshot rebuilt = snapshotFor(proxyClass);
                for (Connection connection : connections.values()) {
                    if (connection.node.proxyClass().equals(proxyClass)) {
                        send(connection, rebuilt);
                    }
                }
            }
        }
    }

    public List<ProxyStatus> statuses() {
        return connections.values().stream().map(Connection::status)
                .sorted(Comparator.comparing((ProxyStatus s) -> s.node().id())).toList();
    }

    /** What the connected proxy {@code id} runs with, or empty when no such proxy is connected. */
    public Optional<InForce> inForce(String id) {
        Connection connection = connections.get(id);
        if (connection == null) {
            return Optional.empty();
        }
        Delivered delivered = connection.delivered.get();
        ProxySnapshot snapshot = delivered.acked() != null ? delivered.acked() : delivered.sent();
        return Optional.of(new InForce(connection.status(), snapshot, delivered.acked() != null));
    }

    private ClassSnapshot snapshotFor(ProxyNode.ProxyClass proxyClass) {
        return snapshots.computeIfAbsent(proxyClass, c -> {
            SnapshotCodec.Encoded encoded = SnapshotBuilder.buildEncoded(config, c);
            return new ClassSnapshot(encoded.snapshot(),
                    ProtocolCodec.encodeSnapshot(encoded.snapshot().version(), encoded.json()));
        });
    }

    private void send(Connection connection, ClassSnapshot snapshot) {
        String version = snapshot.snapshot().version();
        ProxyStatus status = connection.status.get();
        if (version.equals(status.sentVersion())) {
            return;
        }
        connection.status.updateAndGet(s -> s.sent(version, clock.instant()));
        connection.delivered.updateAndGet(d -> new Delivered(snapshot.snapshot(), d.acked()));
        connection.outbound.send(snapshot.frame());
    }
}
