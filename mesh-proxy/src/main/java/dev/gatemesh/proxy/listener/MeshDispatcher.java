package dev.gatemesh.proxy.listener;

import dev.gatemesh.proxy.fault.FaultInjector;
import dev.gatemesh.proxy.outlier.OutlierEjections;
import dev.gatemesh.proxy.pool.ClusterLimits;
import dev.gatemesh.proxy.pool.ConnectionPools;
import dev.gatemesh.proxy.route.Cluster;
import dev.gatemesh.proxy.route.EndpointPicker;
import dev.gatemesh.proxy.route.OutboundRouter;
import dev.gatemesh.proxy.route.RequestMatch;
import dev.gatemesh.proxy.route.Route;
import dev.gatemesh.proxy.route.RouteAction;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.proxy.route.TextMatcher;
import dev.gatemesh.proxy.telemetry.RequestTelemetry;
import dev.gatemesh.proxy.tls.PeerTls;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Sends a request on into the mesh, as the route table in force says: to the chosen endpoint's sidecar over
 * mutual TLS (its SPIFFE ID checked against the service's identities), in plain text to that sidecar where
 * the DestinationRule disables TLS, or straight to the app where the endpoint has no sidecar; redirects and
 * refusals are answered here. Peer connections are pooled. Shared by the sidecar's outbound listener and
 * the gateways' listeners; every request is reported with {@code reporter="source"}. The matched route's faults
 * are injected here, before anything is sent upstream.
 */
public final class MeshDispatcher implements AutoCloseable {

    /** Tells the destination's sidecar which application port the request is for. */
    public static final String APP_PORT_HEADER = "x-gatemesh-app-port";

    private final OutboundRouter router;
    private final EndpointPicker picker;
    private final PeerTls tls;
    private final RequestTelemetry telemetry;
    private final FaultInjector faults;
    private final String sourceWorkload;
    private final String sourceNamespace;
    private final String sourcePrincipal;
    private final ConnectionProvider pool = ConnectionProvider.builder("gatemesh-peers").maxConnections(500)
            .pendingAcquireMaxCount(-1).build();
    private final LoopResources loops;
    private final HttpClient plain;
    private final ConnectionPools pools;
    private final OutlierEjections outliers;

    public MeshDispatcher(OutboundRouter router, EndpointPicker picker, PeerTls tls, RequestTelemetry telemetry,
                          FaultInjector faults, String sourceWorkload, String sourceNamespace, String sourcePrincipal,
                          LoopResources loops) {
        this(router, picker, tls, telemetry, faults, sourceWorkload, sourceNamespace, sourcePrincipal, loops,
                (limits, limit) -> { }, null);
    }

    /**
     * @param overflows told of requests refused by a cluster's connection pool limits
     * @param outliers  told of every upstream response, for outlier detection (null: none)
     */
    public MeshDispatcher(OutboundRouter router, EndpointPicker picker, PeerTls tls, RequestTelemetry telemetry,
                          FaultInjector faults, String sourceWorkload, String sourceNamespace, String sourcePrincipal,
                          LoopResources loops, ClusterLimits.OverflowListener overflows, OutlierEjections outliers) {
        this.pools = new ConnectionPools(pool, overflows);
        this.outliers = outliers;
        this.loops = loops;
        this.plain = HttpClient.create(pool).runOn(loops);
        this.router = router;
        this.picker = picker;
        this.tls = tls;
        this.telemetry = telemetry;
        this.faults = faults;
        this.sourceWorkload = sourceWorkload;
        this.sourceNamespace = sourceNamespace;
        this.sourcePrincipal = sourcePrincipal;
    }

    /**
     * Routes and forwards one request.
     *
     * @param extraHeaders changes the caller makes to the forwarded request's headers (after the route's)
     */
    public Mono<Void> dispatch(RouteTable routes, HttpServerRequest in, HttpServerResponse out, ServerRequestView view,
                               long start, Consumer<HttpHeaders> extraHeaders) {
        OutboundRouter.Decision decision = router.route(routes, view);
        if (decision instanceof OutboundRouter.Refused refused) {
            return refuse(view, out, start, refused.status(), refused.reason());
        }
        if (decision instanceof OutboundRouter.Redirect redirect) {
            return redirect(view, out, redirect.redirect(), start);
        }
        if (decision instanceof OutboundRouter.Passthrough passthrough) {
            String url = "http://" + passthrough.authority() + view.pathAndQuery();
            return Forwarder.forward(plain, in, out, url, passthrough.authority(), List.of(), extraHeaders, List.of(), null,
                    Mono.empty(), outcome -> record(view, start, outcome, "PassthroughCluster", null, false));
        }
        OutboundRouter.Forward forward = (OutboundRouter.Forward) decision;
        Cluster cluster = forward.cluster();
        FaultInjector.Injection fault = faults.decide(forward.route().fault());
        countFaults(fault, cluster);
        if (fault.aborts()) {
            return abort(view, out, start, fault, cluster);
        }
        ClusterLimits.Admission admission = pools.limits(cluster).admit();
        if (admission.overflow() != null) {
            return overflow(view, out, start, cluster, admission.overflow());
        }
        var endpoint = forward.endpoint();
        // Through the peer's sidecar whenever it has one (its policies apply): mutual TLS unless the
        // DestinationRule disables it. Straight to the app only when there is no sidecar to go through.
        boolean viaSidecar = endpoint.hasSidecar();
        boolean mutualTls = viaSidecar && cluster.tls() != Cluster.PeerTls.DISABLE;
        String url = (mutualTls ? "https://" : "http://") + endpoint.address() + ":"
                + (viaSidecar ? endpoint.sidecarPort() : endpoint.appPort()) + rewrittenPath(forward.route(), view);
        RouteAction.Forward action = (RouteAction.Forward) forward.route().action();
        String authority = action.rewriteAuthority() != null ? action.rewriteAuthority() : view.authority();
        HttpClient client = pools.client(cluster, mutualTls ? cluster.expectedIdentities() : Set.of(), provider -> mutualTls
                ? HttpClient.create(provider).runOn(loops).secure(spec -> spec.sslContext(tls.clientFor(cluster.expectedIdentities())))
                : HttpClient.create(provider).runOn(loops));
        picker.started(endpoint);
        int appPort = endpoint.appPort();
        Consumer<HttpHeaders> headers = all -> {
            all.remove(APP_PORT_HEADER);
            if (viaSidecar) {
                all.set(APP_PORT_HEADER, String.valueOf(appPort));
            }
            extraHeaders.accept(all);
        };
        Consumer<Forwarder.Outcome> report = outcome -> {
            if (outliers != null) {
                outliers.record(cluster, endpoint, outcome.status());
            }
            record(view, start, withFault(outcome, fault), cluster.name(), cluster, mutualTls);
        };
        Mono<Void> before = faults.delay(fault).then(admission.ready());
        Mono<Void> exchange = WebSocketBridge.isUpgrade(in)
                ? before.then(Mono.defer(() -> WebSocketBridge.bridge(client, in, out,
                        url.replaceFirst("^http", "ws"), authority, headers, report)))
                : Forwarder.forward(client, in, out, url, authority,
                        List.of(forward.route().requestHeaders(), forward.destination().requestHeaders()), headers,
                        List.of(forward.destination().responseHeaders(), forward.route().responseHeaders()),
                        forward.route().timeout(), before, report);
        return exchange.doFinally(signal -> {
            admission.release();
            picker.finished(endpoint);
        });
    }

    /** Envoy's overflow: the cluster's circuit breaker is open, the request is refused at once, nothing goes upstream. */
    private Mono<Void> overflow(ServerRequestView view, HttpServerResponse out, long start, Cluster cluster,
                                ClusterLimits.Limit limit) {
        String reason = "circuit breaker open for " + cluster.host() + " (" + cluster.name() + "): " + limit.field()
                + " reached, request refused (overflow)";
        out.header("x-envoy-overloaded", "true");
        return Forwarder.refuse(out, 503, reason)
                .doFinally(signal -> record(view, start, new Forwarder.Outcome(503, reason), null, cluster, false));
    }

    /** Envoy's fault abort: after the injected delay, if any, the abort status is answered here; nothing goes upstream. */
    private Mono<Void> abort(ServerRequestView view, HttpServerResponse out, long start, FaultInjector.Injection fault,
                             Cluster cluster) {
        int status = fault.abortStatus();
        return faults.delay(fault).then(Mono.defer(() -> Forwarder.respond(out, status, FaultInjector.ABORT_BODY)))
                .doFinally(signal -> record(view, start, withFault(new Forwarder.Outcome(status, null), fault), null,
                        cluster, false));
    }

    private void countFaults(FaultInjector.Injection fault, Cluster cluster) {
        if (fault.delays()) {
            telemetry.faultInjected("source", RequestTelemetry.FaultKind.DELAY, cluster.host());
        }
        if (fault.aborts()) {
            telemetry.faultInjected("source", RequestTelemetry.FaultKind.ABORT, cluster.host());
        }
    }

    /** The outcome with the injected faults named for the access log. */
    private static Forwarder.Outcome withFault(Forwarder.Outcome outcome, FaultInjector.Injection fault) {
        return fault == FaultInjector.Injection.NONE ? outcome : new Forwarder.Outcome(outcome.status(),
                (outcome.detail() == null ? "" : outcome.detail() + "; ") + fault.describe());
    }

    /** The connection pools and circuit breakers of the clusters (a retry asks them for a retry permit). */
    public ConnectionPools connectionPools() {
        return pools;
    }

    /** Answers the request here (no upstream), and reports it. */
    public Mono<Void> refuse(ServerRequestView view, HttpServerResponse out, long start, int status, String reason) {
        return Forwarder.refuse(out, status, reason)
                .doFinally(signal -> record(view, start, new Forwarder.Outcome(status, reason), null, null, false));
    }

    /** Answers with a redirect to {@code location}, and reports it. */
    public Mono<Void> redirect(ServerRequestView view, HttpServerResponse out, long start, int status, String location) {
        return out.status(status).header(HttpHeaderNames.LOCATION, location).header(HttpHeaderNames.CONTENT_LENGTH, "0")
                .send().then()
                .doFinally(signal -> record(view, start, new Forwarder.Outcome(status, "redirect to " + location), null, null, false));
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
        String host = redirect.authority() != null ? redirect.authority() : RouteTable.hostPart(view.authority());
        String port = redirect.port() != null ? ":" + redirect.port()
                : redirect.authority() == null && view.authority().contains(":") ? ":" + view.port() : "";
        String path = redirect.uri() != null ? redirect.uri() : view.path();
        String location = scheme + "://" + host + port + path + (view.rawQuery() == null ? "" : "?" + view.rawQuery());
        return redirect(view, out, start, redirect.status(), location);
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
        pools.close();
        pool.dispose();
    }
}
