package dev.gatemesh.proxy.listener;

import dev.gatemesh.api.model.PeerAuthentication;
import dev.gatemesh.ca.pki.Certificates;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.proxy.authn.EndUserHeaders;
import dev.gatemesh.proxy.authn.RequestAuthenticator;
import dev.gatemesh.proxy.http.ConnectRequests;
import dev.gatemesh.proxy.http.HeaderSpellings;
import dev.gatemesh.proxy.http.ListenerServers;
import dev.gatemesh.proxy.inbound.Authorizer;
import dev.gatemesh.proxy.inbound.InboundRequest;
import dev.gatemesh.proxy.path.PathNormalization;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.proxy.state.MeshState;
import dev.gatemesh.proxy.state.ProxyState;
import dev.gatemesh.proxy.telemetry.RequestTelemetry;
import dev.gatemesh.proxy.tls.PeerTls;
import io.netty.channel.Channel;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The inbound listener: mesh traffic for the local app. One port takes mutual TLS (a client certificate
 * of this mesh is required at the handshake) and, where PeerAuthentication allows it, plain text; under
 * STRICT a plain-text connection is closed without an answer. Then AuthorizationPolicy decides (403
 * with a body naming the policy), the app learns who called in {@code X-Forwarded-Client-Cert}
 * (always replaced, never passed on from the caller), and the request goes to the app on loopback.
 */
public final class InboundListener implements AutoCloseable {

    public static final String XFCC = "x-forwarded-client-cert";

    /** What this listener tells the app, never in a spelling of the caller's. */
    private static final java.util.Set<String> VOUCHED = java.util.Set.of(XFCC);

    private static final Logger authz = LoggerFactory.getLogger("gatemesh.authz");

    private final MeshState state;
    private final PeerTls tls;
    private final RequestTelemetry telemetry;
    private final SpiffeId self;
    private final String selfWorkload;
    private final String appHost;
    private final List<Integer> appPorts;
    private final ConnectionProvider pool = ConnectionProvider.builder("gatemesh-app").maxConnections(500)
            .pendingAcquireMaxCount(-1).build();
    private final ListenerServers servers;
    private final HttpClient app;
    private final PathNormalization normalization;
    private DisposableServer server;

    /**
     * @param appHost  where the app listens (loopback)
     * @param appPorts the app's ports; the first is used when the caller names none
     */
    public InboundListener(MeshState state, PeerTls tls, RequestTelemetry telemetry, SpiffeId self, String selfWorkload,
                           String appHost, List<Integer> appPorts, LoopResources loops,
                           ListenerServers servers, PathNormalization normalization) {
        this.servers = servers;
        this.normalization = normalization;
        this.app = HttpClient.create(pool).runOn(loops);
        this.state = state;
        this.tls = tls;
        this.telemetry = telemetry;
        this.self = self;
        this.selfWorkload = selfWorkload;
        this.appHost = appHost;
        this.appPorts = List.copyOf(appPorts);
    }

    public InboundListener start(String host, int port) {
        server = servers.create(ConnectRequests.REFUSE).host(host).port(port)
                .doOnChannelInit((observer, channel, remote) ->
                        channel.pipeline().addFirst("gatemesh-optional-tls", new OptionalSslHandler(tls.server())))
                .handle(this::handle)
                .bindNow();
        return this;
    }

    public int port() {
        return server.port();
    }

    private Mono<Void> handle(HttpServerRequest in, HttpServerResponse out) {
        long start = System.nanoTime();
        ServerRequestView view = new ServerRequestView(in, normalization);
        ProxyState current = state.current();
        int appPort = appPort(in.requestHeaders().get(OutboundListener.APP_PORT_HEADER));
        AtomicReference<Channel> channel = new AtomicReference<>();
        in.withConnection(connection -> channel.set(connection.channel()));
        SpiffeId peer = peerOf(channel.get());
        String peerPrincipal = peer == null ? null : peer.toString().substring("spiffe://".length());
        if (current == null) {
            return Forwarder.refuse(out, 503, "the sidecar has no configuration from the control plane yet");
        }
        PeerAuthentication.Mode mode = current.peerAuthentication().modeFor(appPort);
        if (mode == PeerAuthentication.Mode.STRICT && peer == null) {
            authz.warn("Closed a plain-text connection from {} to port {}: mutual TLS is STRICT ({})", view.sourceAddress(), appPort,
                    current.peerAuthentication().origin());
            record(view, start, 0, peerPrincipal, peer != null, "plain text refused: STRICT mutual TLS");
            return Mono.fromRunnable(() -> channel.get().close());
        }
        if (view.rejection() != null) {
            record(view, start, 400, peerPrincipal, peer != null, view.rejection());
            return Forwarder.refuse(out, 400, view.rejection());
        }
        return EndUserAuthentication.authenticate(current.requestAuthentication(), view).flatMap(result -> {
            if (result instanceof RequestAuthenticator.Rejected rejected) {
                authz.warn("Refused {} {} from {} ({}): {}", view.method(), view.path(), peer == null ? view.sourceAddress() : peer,
                        selfWorkload, rejected.reason());
                record(view, start, 401, peerPrincipal, peer != null, rejected.reason());
                return Forwarder.refuse(out, 401, rejected.reason());
            }
            return authorizeAndForward(in, out, view, current, start, appPort, peer, peerPrincipal, result);
        });
    }

    private Mono<Void> authorizeAndForward(HttpServerRequest in, HttpServerResponse out, ServerRequestView view,
                                           ProxyState current, long start, int appPort, SpiffeId peer, String peerPrincipal,
                                           RequestAuthenticator.Result authentication) {
        RequestAuthenticator.Authenticated user = authentication instanceof RequestAuthenticator.Authenticated a ? a : null;
        Authorizer.Decision decision = current.authorizer().decide(new InboundRequest(view.method(), view.path(),
                RouteTable.hostPart(view.authority()), appPort, view::header, peerPrincipal,
                peer == null ? null : peer.namespace(), view.sourceAddress(), user == null ? null : user.principal(),
                user == null ? Map.of() : user.claims()), view.otherReadings());
        if (!decision.allowed()) {
            authz.warn("Denied {} {} from {} ({}): {}", view.method(), view.path(), peer == null ? view.sourceAddress() : peer,
                    selfWorkload, decision.reason());
            record(view, start, 403, peerPrincipal, peer != null, decision.reason());
            return Forwarder.refuse(out, 403, decision.reason());
        }
        String url = "http://" + appHost + ":" + appPort + view.pathAndQuery();
        java.util.function.Consumer<io.netty.handler.codec.http.HttpHeaders> appHeaders = headers -> {
            headers.remove(OutboundListener.APP_PORT_HEADER);
            headers.remove(SelfTraffic.LOOP_HEADER);
            headers.remove(XFCC);
            HeaderSpellings.removeUnderscoreSpellings(headers, VOUCHED);
            if (peer != null) {
                headers.set(XFCC, "By=" + self + ";URI=" + peer);
            }
            EndUserHeaders.apply(current.requestAuthentication(), user, headers);
        };
        if (WebSocketBridge.isUpgrade(in)) {
            return WebSocketBridge.bridge(app, in, out, "ws://" + appHost + ":" + appPort + view.pathAndQuery(), view.authority(),
                    appHeaders, outcome -> record(view, start, outcome.status(), peerPrincipal, peer != null, outcome.detail()));
        }
        return Forwarder.forward(app, in, out, url, view.authority(), List.of(), appHeaders,
                List.of(), null, Mono.empty(), outcome -> record(view, start, outcome.status(), peerPrincipal, peer != null, outcome.detail()));
    }

    private int appPort(String requested) {
        if (requested != null) {
            try {
                int port = Integer.parseInt(requested.trim());
                if (appPorts.contains(port)) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // fall through to the default port
            }
        }
        return appPorts.get(0);
    }

    /** The peer's identity, read from its certificate once per TLS session (cached on the connection). */
    private record PeerIdentity(javax.net.ssl.SSLSession session, SpiffeId id) {
    }

    private static final io.netty.util.AttributeKey<PeerIdentity> PEER = io.netty.util.AttributeKey.valueOf("gatemesh.peer");

    /** The caller's verified SPIFFE ID, or null over plain text. */
    private static SpiffeId peerOf(Channel channel) {
        SslHandler ssl = channel == null ? null : channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return null;
        }
        javax.net.ssl.SSLSession session = ssl.engine().getSession();
        PeerIdentity known = channel.attr(PEER).get();
        if (known != null && known.session() == session) {
            return known.id();
        }
        SpiffeId id;
        try {
            Certificate[] chain = session.getPeerCertificates();
            id = chain.length == 0 ? null : Certificates.spiffeIdOf((X509Certificate) chain[0]).orElse(null);
        } catch (SSLPeerUnverifiedException e) {
            id = null;
        }
        channel.attr(PEER).set(new PeerIdentity(session, id));
        return id;
    }

    private void record(ServerRequestView view, long start, int status, String peerPrincipal, boolean mutualTls, String detail) {
        String peerNamespace = peerPrincipal == null ? null : peerPrincipal.split("/")[2];
        telemetry.record(new RequestTelemetry.Request("destination", view.method(), view.authority(), view.loggedPathAndQuery(), status,
                System.nanoTime() - start, null, peerNamespace, peerPrincipal, RouteTable.hostPart(view.authority()), selfWorkload,
                self.namespace(), self.toString().substring("spiffe://".length()), appHost, mutualTls, detail));
    }

    @Override
    public void close() {
        if (server != null) {
            server.disposeNow();
        }
        pool.dispose();
    }
}
