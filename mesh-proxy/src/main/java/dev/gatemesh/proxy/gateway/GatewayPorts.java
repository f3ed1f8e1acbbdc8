package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.credentials.CredentialSource;
import dev.gatemesh.api.failure.RootCause;
import dev.gatemesh.proxy.http.ListenerServers;
import dev.gatemesh.proxy.route.GatewayListener;
import dev.gatemesh.proxy.route.GatewayTable;
import dev.gatemesh.proxy.state.ProxyState;
import dev.gatemesh.proxy.thread.ProxyThreads;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.KeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.gatemesh.proxy.path.PathNormalization;

/**
 * A gateway's listening ports, kept in line with the Gateway servers that select it: a port opens when a
 * server names it, takes new hosts, routes and certificates in place, and closes when no server names it
 * any more. A port that cannot be opened (taken, or privileged) is reported and tried again with the next
 * configuration; the other ports serve on.
 */
public final class GatewayPorts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayPorts.class);

    private final String host;
    private final GatewayRequestHandler handler;
    private final CredentialSource credentials;
    private final KeyManager placeholderKeys;
    private final java.util.function.Supplier<reactor.netty.tcp.SslProvider> istioMutual;
    private final io.netty.handler.ssl.SslProvider tlsProvider;
    private final ListenerServers servers;
    private final Clock clock;
    private final Map<Integer, GatewayPort> open = new TreeMap<>();
    private final Map<Integer, String> failed = new TreeMap<>();
    private final java.util.concurrent.ExecutorService reconciler;

    /**
     * A gateway's ports, opened and closed as each snapshot takes effect.
     *
     * @param workload this gateway's workload name (logs)
     * @param proxyId  this gateway's proxy id (thread names)
     * @param placeholderKeys the default TLS context's keys (never presented: each handshake picks its server's)
     * @param normalization how request paths are normalized before anything reads them
     */
    public static GatewayPorts start(GatewaySettings settings, dev.gatemesh.proxy.state.MeshState state,
                                     dev.gatemesh.proxy.listener.MeshDispatcher dispatcher, String workload,
                                     String proxyId, KeyManager placeholderKeys, dev.gatemesh.proxy.tls.PeerTls peers,
                                     boolean egress, ListenerServers servers, Clock clock,
                                     PathNormalization normalization) {
        RequestIds ids = new RequestIds(new java.util.SplittableRandom());
        GatewayRequestHandler handler = new GatewayRequestHandler(state, dispatcher, settings.rateLimits(),
                ids::requestId, workload, peers,
                egress ? new dev.gatemesh.proxy.egress.EgressAudit(clock, workload) : null, ids::traceparent, normalization);
        GatewayPorts ports = new GatewayPorts(settings.host(), handler, settings.credentials(), placeholderKeys,
                peers::gatewayServer, settings.tlsProvider(), servers, clock, proxyId);
        // Binding blocks: never on the control-plane stream's event loop.
        state.onApplied(applied -> ports.reconciler.execute(() -> ports.apply(applied)));
        if (state.current() != null) {
            ports.apply(state.current());
        }
        return ports;
    }

    GatewayPorts(String host, GatewayRequestHandler handler, CredentialSource credentials, KeyManager placeholderKeys,
                 java.util.function.Supplier<reactor.netty.tcp.SslProvider> istioMutual,
                 io.netty.handler.ssl.SslProvider tlsProvider, ListenerServers servers, Clock clock, String proxyId) {
        this.istioMutual = istioMutual;
        this.reconciler = java.util.concurrent.Executors.newSingleThreadExecutor(
                ProxyThreads.daemon(proxyId, "gateway-ports"));
        this.host = host;
        this.handler = handler;
        this.credentials = credentials;
        this.placeholderKeys = placeholderKeys;
        this.tlsProvider = tlsProvider;
        this.servers = servers;
        this.clock = clock;
    }

    /** Applies the gateway table of a new state (called after each snapshot took effect). */
    public synchronized void apply(ProxyState state) {
        GatewayTable table = state.gateways();
        if (table == null) {
            return;
        }
        open.entrySet().removeIf(entry -> {
            if (!table.listeners().containsKey(entry.getKey())) {
                entry.getValue().close();
                log.info("Gateway port {} closed: no Gateway server names it any more", entry.getKey());
                return true;
            }
            return false;
        });
        failed.keySet().retainAll(table.listeners().keySet());
        table.listeners().forEach((port, listener) -> {
            GatewayPort current = open.get(port);
            if (current != null && current.accepts(listener)) {
                current.update(listener);
                return;
            }
            if (current != null) {
                current.close();
                open.remove(port);
            }
            try {
                GatewayPort opened = GatewayPort.open(listener, host, handler, credentials, placeholderKeys, istioMutual, tlsProvider,
                        servers, clock);
                open.put(port, opened);
                failed.remove(port);
                log.info("Gateway port {} open ({}) for {}", port, opened.secure() ? "TLS" : "plain text", hosts(listener));
            } catch (RuntimeException e) {
                String reason = "cannot listen on " + host + ":" + port + ": " + RootCause.describe(e);
                failed.put(port, reason);
                log.error("Gateway port {}: {}", port, reason);
            }
        });
    }

    /** The ports open now, by the port the Gateway names. */
    public synchronized Map<Integer, Boolean> openPorts() {
        Map<Integer, Boolean> out = new TreeMap<>();
        open.forEach((port, gatewayPort) -> out.put(port, gatewayPort.secure()));
        return out;
    }

    /** Ports that a Gateway names but that could not be opened, with the reason. */
    public synchronized Map<Integer, String> failedPorts() {
        return Map.copyOf(failed);
    }

    private static String hosts(GatewayListener listener) {
        return listener.servers().stream().flatMap(s -> s.hosts().stream()).map(h -> h.pattern()).distinct().toList().toString();
    }


    @Override
    public synchronized void close() {
        reconciler.shutdownNow();
        open.values().forEach(GatewayPort::close);
        open.clear();
    }
}
