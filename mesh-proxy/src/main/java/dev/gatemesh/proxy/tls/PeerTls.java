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
    private final SpiffeTrustManager meshPeers;
    private volatile reactor.netty.tcp.SslProvider gatewayServer;

    public PeerTls(WorkloadIdentity identity, String trustDomain, Clock clock) {
        this.identity = identity;
        this.trustDomain = trustDomain;
        this.clock = clock;
        this.meshPeers = new SpiffeTrustManager(() -> identity.current().trustBundle(), trustDomain, peer -> true, clock);
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

    /**
     * A gateway server's TLS for Istio's {@code ISTIO_MUTUAL} mode: the gateway's own mesh certificate, a client
     * certificate of this mesh required, HTTP/2 and HTTP/1.1 offered by ALPN.
     */
    public reactor.netty.tcp.SslProvider gatewayServer() {
        reactor.netty.tcp.SslProvider built = gatewayServer;
        if (built == null) {
            built = reactor.netty.tcp.SslProvider.builder().sslContext(reactor.netty.http.Http2SslContextSpec
                    .forServer(new WorkloadKeyManager(identity::current))
                    .configure(builder -> builder.sslProvider(io.netty.handler.ssl.SslProvider.JDK).trustManager(meshPeers)
                            .clientAuth(ClientAuth.REQUIRE).protocols("TLSv1.3", "TLSv1.2"))).build();
            gatewayServer = built;
        }
        return built;
    }

    /**
     * The mesh identity of the client on {@code channel} (or on its parent connection, for an HTTP/2 stream), without
     * the {@code spiffe://} scheme: only when its certificate chain verifies against this mesh's trust bundle, so a
     * certificate from another CA that merely carries a SPIFFE URI is never taken for a mesh workload. Null otherwise.
     */
    public String verifiedPeerPrincipal(io.netty.channel.Channel channel) {
        io.netty.channel.Channel connection = channel;
        io.netty.handler.ssl.SslHandler ssl = null;
        while (connection != null && (ssl = connection.pipeline().get(io.netty.handler.ssl.SslHandler.class)) == null) {
            connection = connection.parent();
        }
        if (ssl == null) {
            return null;
        }
        javax.net.ssl.SSLSession session = ssl.engine().getSession();
        VerifiedPeer known = connection.attr(VERIFIED_PEER).get();
        if (known != null && known.session() == session) {
            return known.principal();
        }
        String principal;
        try {
            java.security.cert.X509Certificate[] chain = java.util.Arrays.stream(session.getPeerCertificates())
                    .map(java.security.cert.X509Certificate.class::cast).toArray(java.security.cert.X509Certificate[]::new);
            meshPeers.checkClientTrusted(chain, "UNKNOWN");
            principal = dev.gatemesh.ca.pki.Certificates.spiffeIdOf(chain[0]).map(id -> id.toString()
                    .substring("spiffe://".length())).orElse(null);
        } catch (javax.net.ssl.SSLPeerUnverifiedException | java.security.cert.CertificateException | RuntimeException e) {
            principal = null;
        }
        connection.attr(VERIFIED_PEER).set(new VerifiedPeer(session, principal));
        return principal;
    }

    private record VerifiedPeer(javax.net.ssl.SSLSession session, String principal) {
    }

    private static final io.netty.util.AttributeKey<VerifiedPeer> VERIFIED_PEER =
            io.netty.util.AttributeKey.valueOf("gatemesh.verified-peer");

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
