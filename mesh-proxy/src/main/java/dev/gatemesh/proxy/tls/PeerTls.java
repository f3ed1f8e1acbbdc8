package dev.gatemesh.proxy.tls;

import dev.gatemesh.ca.identity.SpiffeTrustManager;
import dev.gatemesh.ca.identity.WorkloadIdentity;
import dev.gatemesh.ca.identity.WorkloadKeyManager;
import dev.gatemesh.proxy.controlplane.ControlPlaneTls;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The TLS of the data plane, with the workload's current certificate at every handshake: the inbound
 * server (a client certificate of this mesh is required from TLS callers), and one client context per
 * set of identities a destination may present (the peer is verified by SPIFFE ID, never by host name).
 * Cached sessions are dropped at every rotation so that the next connection presents the new certificate.
 */
public final class PeerTls {

    private final WorkloadIdentity identity;
    private final String trustDomain;
    private final Clock clock;
    private final SslContext server;
    private final Map<Set<String>, SslContext> clients = new ConcurrentHashMap<>();

    public PeerTls(WorkloadIdentity identity, String trustDomain, Clock clock) {
        this.identity = identity;
        this.trustDomain = trustDomain;
        this.clock = clock;
        try {
            this.server = SslContextBuilder.forServer(new WorkloadKeyManager(identity::current))
                    .trustManager(new SpiffeTrustManager(() -> identity.current().trustBundle(), trustDomain, peer -> true, clock))
                    .clientAuth(ClientAuth.REQUIRE)
                    .sslProvider(io.netty.handler.ssl.SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the inbound TLS context: " + e.getMessage(), e);
        }
        identity.onRotation(material -> {
            ControlPlaneTls.forgetSessions(server);
            clients.values().forEach(ControlPlaneTls::forgetSessions);
        });
    }

    public SslContext server() {
        return server;
    }

    /** A client context that accepts only peers presenting one of {@code expected}. */
    public SslContext clientFor(Set<String> expected) {
        return clients.computeIfAbsent(Set.copyOf(expected), ids -> {
            try {
                return SslContextBuilder.forClient()
                        .keyManager(new WorkloadKeyManager(identity::current))
                        .trustManager(new SpiffeTrustManager(() -> identity.current().trustBundle(), trustDomain,
                                peer -> ids.contains(peer.toString()), clock))
                        .sslProvider(io.netty.handler.ssl.SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                        .build();
            } catch (SSLException e) {
                throw new IllegalStateException("cannot build a peer TLS context: " + e.getMessage(), e);
            }
        });
    }
}
