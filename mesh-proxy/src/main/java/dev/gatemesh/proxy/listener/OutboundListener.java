package dev.gatemesh.proxy.listener;

import dev.gatemesh.proxy.path.PathNormalization;
import dev.gatemesh.proxy.state.MeshState;
import dev.gatemesh.proxy.http.ConnectRequests;
import dev.gatemesh.proxy.http.ListenerServers;
import dev.gatemesh.proxy.state.ProxyState;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The outbound listener: the app's requests to other services arrive here (Host header, or the app
 * using it as its HTTP proxy) and are routed into the mesh by the route table in force
 * ({@link MeshDispatcher}).
 */
public final class OutboundListener implements AutoCloseable {

    /** Tells the destination's sidecar which application port the request is for. */
    public static final String APP_PORT_HEADER = MeshDispatcher.APP_PORT_HEADER;

    private final MeshState state;
    private final MeshDispatcher dispatcher;
    private final ListenerServers servers;
    private final PathNormalization normalization;
    private final SelfTraffic self;
    private DisposableServer server;

    /** @param self recognises requests addressed to this proxy itself */
    public OutboundListener(MeshState state, MeshDispatcher dispatcher, ListenerServers servers, PathNormalization normalization,
                            SelfTraffic self) {
        this.state = state;
        this.dispatcher = dispatcher;
        this.servers = servers;
        this.normalization = normalization;
        this.self = self;
    }

    public OutboundListener start(String host, int port) {
        server = servers.create(ConnectRequests.REFUSE).host(host).port(port).handle(this::handle).bindNow();
        return this;
    }

    public int port() {
        return server.port();
    }

    private Mono<Void> handle(HttpServerRequest in, HttpServerResponse out) {
        long start = System.nanoTime();
        ProxyState current = state.current();
        ServerRequestView view = new ServerRequestView(in, normalization);
        if (view.rejection() != null) {
            return dispatcher.refuse(view, out, start, 400, view.rejection());
        }
        SelfTraffic.Refusal toSelf = self.refusal(view.authority(), view.port(), in.requestHeaders());
        if (toSelf != null) {
            return dispatcher.refuse(view, out, start, toSelf.status(), toSelf.reason());
        }
        if (current == null) {
            return dispatcher.refuse(view, out, start, 503, "the sidecar has no configuration from the control plane yet");
        }
        return dispatcher.dispatch(current.routes(), in, out, view, start, self::mark);
    }

    @Override
    public void close() {
        if (server != null) {
            server.disposeNow();
        }
    }
}
