package dev.gatemesh.proxy.listener;

import dev.gatemesh.proxy.route.Cluster;
import dev.gatemesh.proxy.route.EndpointPicker;
import dev.gatemesh.proxy.route.OutboundRouter;
import dev.gatemesh.proxy.route.RequestMatch;
import dev.gatemesh.proxy.route.Route;
import dev.gatemesh.proxy.route.RouteAction;
import dev.gatemesh.proxy.route.TextMatcher;
import dev.gatemesh.proxy.runtime.MeshState;
import dev.gatemesh.proxy.runtime.ProxyState;
import dev.gatemesh.proxy.telemetry.RequestTelemetry;
import dev.gatemesh.proxy.tls.PeerTls;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The outbound listener: the app's requests to other services arrive here (Host header, or the app
 * using it as its HTTP proxy), are routed by the route table in force, and go to the chosen endpoint's
 * sidecar over mutual TLS (its SPIFFE ID checked against the service's identities), in plain text to that
 * sidecar where the DestinationRule disables TLS, or straight to the app where the endpoint has no
 * sidecar. Peer connections are pooled.
 */
public final class OutboundListener implements AutoCloseable {

    /** Tells the destination's sidecar which application port the request is for. */
    public static final String APP_PORT_HEADER = "x-gatemesh-app-port";

    private final MeshState state;
    private final OutboundRouter router;
    private final EndpointPicker picker;
    private final PeerTls tls;
    private final RequestTelemetry telemetry;
    private final String sourceWorkload;
    private final String sourceNamespace;
    private final String sourcePrincipal;
    private final ConnectionProvider pool = ConnectionProvider.builder("gatemesh-peers").maxConnections(500)
            .pendingAcquireMaxCount(-1).build();
    private final LoopResources loops;
    private final HttpClient plain;
    private final Map<Set<String>, HttpClient> mutual = new ConcurrentHashMap<>();
    private DisposableServer server;

    public OutboundListener(MeshState state, OutboundRouter router, EndpointPicker picker, PeerTls tls, RequestTelemetry telemetry,
                            String sourceWorkload, String sourceNamespace, String sourcePrincipal, LoopResources loops) {
        this.loops = loops;
        this.plain = HttpClient.create(pool).runOn(loops);
        this.state = state;
        this.router = router;
        this.picker = picker;
        this.tls = tls;
        this.telemetry = telemetry;
        this.sourceWorkload = sourceWorkload;
        this.sourceNamespace = sourceNamespace;
        this.sourcePrincipal = sourcePrincipal;
    }

    public OutboundListener start(String host, int port) {
        server = HttpServer.create().runOn(loops).host(host).port(port).handle(this::handle).bindNow();
        return this;
    }

    public int port() {
        return server.port();
    }

    private Mono<Void> handle(HttpServerRequest in, HttpServerResponse out) {
        long start = System.nanoTime();
        ProxyState current = state.current();
        ServerRequestView view = new ServerRequestView(in);
        if (current == null) {
            return finish(view, start, 503, "the sidecar has no configuration yet", null, null, false,
                    Forwarder.refuse(out, 503, "the sidecar has no configuration from the control plane yet"));
        }
        OutboundRouter.Decision decision = router.route(current.routes(), view);
        if (decision instanceof OutboundRouter.Refused refused) {
            return finish(view, start, refused.status(), refused.reason(), null, null, false,
                    Forwarder.refuse(out, refused.status(), refused.reason()));
        }
        if (decision instanceof OutboundRouter.Redirect redirect) {
            return redirect(view, out, redirect.redirect(), start);
        }
        if (decision instanceof OutboundRouter.Passthrough passthrough) {
            String url = "http://" + passthrough.authority() + view.pathAndQuery();
            return Forwarder.forward(plain, in, out, url, passthrough.authority(), List.of(), headers -> { }, List.of(), null,
                    outcome -> record(view, start, outcome, "PassthroughCluster", null, false));
        }
        OutboundRouter.Forward forward = (OutboundRouter.Forward) decision;
        Cluster cluster = forward.cluster();
        var endpoint = forward.endpoint();
        // Through the peer's sidecar whenever it has one (its policies apply): mutual TLS unless the
        // DestinationRule disables it. Straight to the app only when there is no sidecar to go through.
        boolean viaSidecar = endpoint.hasSidecar();
        boolean mutualTls = viaSidecar && cluster.tls() != Cluster.PeerTls.DISABLE;
        String url = (mutualTls ? "https://" : "http://") + endpoint.address() + ":"
                + (viaSidecar ? endpoint.sidecarPort() : endpoint.appPort()) + rewrittenPath(forward.route(), view);
        RouteAction.Forward action = (RouteAction.Forward) forward.route().action();
        String authority = action.rewriteAuthority() != null ? action.rewriteAuthority() : view.authority();
        HttpClient client = mutualTls ? mutual.computeIfAbsent(cluster.expectedIdentities(),
                ids -> HttpClient.create(pool).runOn(loops).secure(spec -> spec.sslContext(tls.clientFor(ids)))) : plain;
        picker.started(endpoint);
        int appPort = endpoint.appPort();
        return Forwarder.forward(client, in, out, url, authority,
                List.of(forward.route().requestHeaders(), forward.destination().requestHeaders()),
                headers -> {
                    headers.remove(APP_PORT_HEADER);
                    if (viaSidecar) {
                        headers.set(APP_PORT_HEADER, String.valueOf(appPort));
                    }
                },
                List.of(forward.destination().responseHeaders(), forward.route().responseHeaders()),
                forward.route().timeout(),
                outcome -> record(view, start, outcome, cluster.name(), cluster, mutualTls))
                .doFinally(signal -> picker.finished(endpoint));
    }

    /** Istio's rewrite: the matched path prefix is replaced; with no prefix match, the whole path. */
    private static String rewrittenPath(Route route, ServerRequestView view) {
        RouteAction.Forward action = (RouteAction.Forward) route.action();
        if (action.rewriteUri() == null) {
            return view.pathAndQuery();
        }
        String path = view.path();
        String rewritten = action.rewriteUri();
        for (RequestMatch match : route.matches()) {
            if (match.matches(view) && match.uri() != null && match.uri().type() == TextMatcher.Type.PREFIX) {
                rewritten = action.rewriteUri() + path.substring(Math.min(path.length(), match.uri().value().length()));
                break;
            }
        }
        return view.rawQuery() == null ? rewritten : rewritten + "?" + view.rawQuery();
    }

    private Mono<Void> redirect(ServerRequestView view, HttpServerResponse out, RouteAction.Redirect redirect, long start) {
        String scheme = redirect.scheme() != null ? redirect.scheme() : "http";
        String host = redirect.authority() != null ? redirect.authority() : dev.gatemesh.proxy.route.RouteTable.hostPart(view.authority());
        String port = redirect.port() != null ? ":" + redirect.port()
                : redirect.authority() == null && view.authority().contains(":") ? ":" + view.port() : "";
        String path = redirect.uri() != null ? redirect.uri() : view.path();
        String location = scheme + "://" + host + port + path + (view.rawQuery() == null ? "" : "?" + view.rawQuery());
        return finish(view, start, redirect.status(), "redirect to " + location, null, null, false,
                out.status(redirect.status()).header(HttpHeaderNames.LOCATION, location)
                        .header(HttpHeaderNames.CONTENT_LENGTH, "0").send().then());
    }

    private Mono<Void> finish(ServerRequestView view, long start, int status, String detail, String upstream, Cluster cluster,
                              boolean mutualTls, Mono<Void> response) {
        return response.doFinally(signal -> record(view, start, new Forwarder.Outcome(status, detail), upstream, cluster, mutualTls));
    }

    private void record(ServerRequestView view, long start, Forwarder.Outcome outcome, String upstream, Cluster cluster,
                        boolean mutualTls) {
        String destinationPrincipal = cluster == null || cluster.expectedIdentities().size() != 1 ? null
                : cluster.expectedIdentities().iterator().next().replaceFirst("^spiffe://", "");
        telemetry.record(new RequestTelemetry.Request("source", view.method(), view.authority(), view.pathAndQuery(),
                outcome.status(), System.nanoTime() - start, sourceWorkload, sourceNamespace, sourcePrincipal,
                cluster == null ? null : cluster.host(), null, null, destinationPrincipal, upstream, mutualTls,
                outcome.detail()));
    }

    @Override
    public void close() {
        if (server != null) {
            server.disposeNow();
        }
        pool.dispose();
    }
}
