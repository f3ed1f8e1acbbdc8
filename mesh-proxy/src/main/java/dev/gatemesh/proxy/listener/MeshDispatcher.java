package dev.gatemesh.proxy.listener;

import dev.gatemesh.proxy.fault.FaultInjector;
import dev.gatemesh.proxy.mirror.RequestMirror;
import dev.gatemesh.proxy.outlier.OutlierEjections;
import dev.gatemesh.proxy.pool.ClusterLimits;
import dev.gatemesh.proxy.pool.ConnectionPools;
import dev.gatemesh.proxy.retry.Retrier;
import dev.gatemesh.proxy.retry.RetryBackoff;
import dev.gatemesh.proxy.retry.RetryMetrics;
import dev.gatemesh.proxy.route.Cluster;
import dev.gatemesh.proxy.route.Endpoint;
import dev.gatemesh.proxy.route.EndpointPicker;
import dev.gatemesh.proxy.route.OutboundRouter;
import dev.gatemesh.proxy.route.RequestMatch;
import dev.gatemesh.proxy.route.Route;
import dev.gatemesh.proxy.route.RouteAction;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.proxy.route.TextMatcher;
import dev.gatemesh.proxy.telemetry.RequestTelemetry;
import dev.gatemesh.proxy.tls.OriginationTls;
import dev.gatemesh.proxy.tls.PeerTls;
import dev.gatemesh.api.registry.ServiceEndpoint;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
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
 * are injected here, before anything is sent upstream, its retries made here ({@link Retrier}), and its mirror is
 * given a copy ({@link RequestMirror}).
 */
public final class MeshDispatcher implements AutoCloseable {

    /** Tells the destination's sidecar which application port the request is for. */
    public static final String APP_PORT_HEADER = "x-gatemesh-app-port";

    private final OutboundRouter router;
    private final EndpointPicker picker;
    private final PeerTls tls;
    private final RequestTelemetry telemetry;
    private final FaultInjector faults;
    private final RequestMirror mirror;
    private final Retrier retrier;
    private final RetryMetrics retryMetrics;
    private final String sourceWorkload;
    private final String sourceNamespace;
    private final String sourcePrincipal;
    private final ConnectionProvider pool = ConnectionProvider.builder("gatemesh-peers").maxConnections(500)
            .pendingAcquireMaxCount(-1).build();
    private final LoopResources loops;
    private final HttpClient plain;
    private final ConnectionPools pools;
    private final OutlierEjections outliers;
    private final OriginationTls origination;

    public MeshDispatcher(OutboundRouter router, EndpointPicker picker, PeerTls tls, RequestTelemetry telemetry,
                          FaultInjector faults, String sourceWorkload, String sourceNamespace, String sourcePrincipal,
                          LoopResources loops, RequestMirror mirror) {
        this(router, picker, tls, telemetry, faults, sourceWorkload, sourceNamespace, sourcePrincipal, loops, mirror,
                new RetryBackoff(new SplittableRandom()), (limits, limit) -> { }, null, new OriginationTls(null));
    }

    /**
     * @param retryBackoff the waits between a request's tries (its random source injected)
     * @param overflows    told of requests refused by a cluster's connection pool limits
     * @param outliers     told of every upstream response, for outlier detection (null: none)
     * @param origination the TLS originated to servers outside the mesh (DestinationRule SIMPLE, MUTUAL)
     */
    public MeshDispatcher(OutboundRouter router, EndpointPicker picker, PeerTls tls, RequestTelemetry telemetry,
                          FaultInjector faults, String sourceWorkload, String sourceNamespace, String sourcePrincipal,
                          LoopResources loops, RequestMirror mirror, RetryBackoff retryBackoff,
                          ClusterLimits.OverflowListener overflows, OutlierEjections outliers, OriginationTls origination) {
        this.origination = origination;
        this.pools = new ConnectionPools(pool, overflows);
        this.outliers = outliers;
        this.retryMetrics = new RetryMetrics(telemetry.registry());
        this.retrier = new Retrier(retryBackoff, retryMetrics, Schedulers.parallel(), Retrier.DEFAULT_BUDGET_PERCENT,
                Retrier.DEFAULT_MIN_RETRY_CONCURRENCY);
        this.loops = loops;
        this.plain = HttpClient.create(pool).runOn(loops);
        this.router = router;
        this.picker = picker;
        this.tls = tls;
        this.telemetry = telemetry;
        this.faults = faults;
        this.mirror = mirror;
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
        if (cluster.originatesTls()) {
            try {
                origination.forCluster(cluster); // fails closed, before anything is sent
            } catch (OriginationTls.OriginationUnavailable e) {
                return refuse(view, out, start, 503, e.getMessage());
            }
        }
        ClusterLimits.Admission admission = pools.limits(cluster).admit();
        if (admission.overflow() != null) {
            return overflow(view, out, start, cluster, admission.overflow());
        }
        Endpoint endpoint = forward.endpoint();
        boolean mutualTls = meshTls(cluster, endpoint);
        String requestHost = RouteTable.hostPart(view.authority());
        RouteAction.Forward action = (RouteAction.Forward) forward.route().action();
        String authority = action.rewriteAuthority() != null ? action.rewriteAuthority() : view.authority();
        Queue<Endpoint> started = new ConcurrentLinkedQueue<>();
        Function<Endpoint, RetryingForwarder.Target> targets = tried -> {
            picker.started(tried);
            started.add(tried);
            return target(cluster, tried, requestHost, rewrittenPath(forward.route(), view), extraHeaders);
        };
        Consumer<Forwarder.Outcome> report = outcome -> {
            if (outliers != null && WebSocketBridge.isUpgrade(in)) {
                outliers.record(cluster, endpoint, outcome.status()); // HTTP tries are recorded one by one (onTry)
            }
            record(view, start, withFault(outcome, fault), cluster.name(), cluster, mutualTls);
        };
        Mono<Void> before = faults.delay(fault).then(admission.ready());
        Consumer<byte[]> mirrored = mirror.start(forward.route(), view, () -> new RequestMirror.Copy(in.method(),
                rewrittenPath(forward.route(), view), authority, Forwarder.forwardedHeaders(in.requestHeaders(),
                        List.of(forward.route().requestHeaders()), extraHeaders)),
                !WebSocketBridge.isUpgrade(in) && Forwarder.fitsInOneWrite(in.requestHeaders()),
                (mirrorCluster, mirrorEndpoint) -> upstream(mirrorCluster, mirrorEndpoint, requestHost));
        Mono<Void> exchange;
        if (WebSocketBridge.isUpgrade(in)) {
            RetryingForwarder.Target target = targets.apply(endpoint);
            exchange = before.then(Mono.defer(() -> WebSocketBridge.bridge(target.client(), in, out,
                    target.url().replaceFirst("^http", "ws"), authority, target.headers(), report)));
        } else {
            var plan = new RetryingForwarder.Plan(retrier, forward.route().retries(), cluster, endpoint, targets, tried -> {
                Endpoint next = picker.pick(cluster, view, tried::contains);
                return next != null ? next : endpoint;
            }, pools.limits(cluster), (tried, status) -> {
                if (outliers != null) {
                    outliers.record(cluster, tried, status);
                }
            });
            exchange = RetryingForwarder.forward(plan, in, out, authority,
                    List.of(forward.route().requestHeaders(), forward.destination().requestHeaders()),
                    List.of(forward.destination().responseHeaders(), forward.route().responseHeaders()),
                    forward.route().timeout(), before, report,
                    () -> retryMetrics.timeout(RetryMetrics.TimeoutKind.ROUTE, "source", cluster.host()), mirrored);
        }
        return exchange.doFinally(signal -> {
            admission.release();
            started.forEach(picker::finished);
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

    /** The connection pools and circuit breakers of the clusters (a retry asks them for a retry permit). */
    public ConnectionPools connectionPools() {
        return pools;
    }

    /**
     * Whether a try to {@code endpoint} is made over the mesh's mutual TLS: to a sidecar unless the DestinationRule
     * disables it (Istio's auto mTLS), and to a proxy without a sidecar (a gateway) when it asks for ISTIO_MUTUAL.
     */
    private static boolean meshTls(Cluster cluster, Endpoint endpoint) {
        return endpoint.hasSidecar() ? cluster.tls() != Cluster.PeerTls.DISABLE : cluster.tls() == Cluster.PeerTls.ISTIO_MUTUAL;
    }

    /**
     * The client for a cluster: its own connection pool when it has limits; mutual TLS to the expected identities
     * (with the DestinationRule's {@code sni}, which picks a gateway's server); or TLS originated to a server outside
     * the mesh.
     */
    private HttpClient clientFor(Cluster cluster, boolean mutualTls, boolean originate) {
        if (originate) {
            OriginationTls.Origination tlsOut = origination.forCluster(cluster);
            javax.net.ssl.SNIServerName serverName = sniOf(tlsOut.serverName());
            return pools.client(cluster, Set.of("origination:" + tlsOut.key()), provider -> HttpClient.create(provider).runOn(loops)
                    .secure(spec -> {
                        var ssl = spec.sslContext(tlsOut.context());
                        if (serverName != null) {
                            ssl.serverNames(serverName);
                        }
                    }));
        }
        String sni = mutualTls && cluster.clientTls() != null ? cluster.clientTls().sni() : null;
        Set<String> key = !mutualTls ? Set.of() : sni == null ? cluster.expectedIdentities()
                : java.util.stream.Stream.concat(cluster.expectedIdentities().stream(), java.util.stream.Stream.of("sni:" + sni))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        javax.net.ssl.SNIServerName serverName = sni == null ? null : sniOf(sni);
        return pools.client(cluster, key, provider -> mutualTls
                ? HttpClient.create(provider).runOn(loops).secure(spec -> {
                    var ssl = spec.sslContext(tls.clientFor(cluster.expectedIdentities()));
                    if (serverName != null) {
                        ssl.serverNames(serverName);
                    }
                })
                : HttpClient.create(provider).runOn(loops));
    }

    /** A server name to send, or null for an IP address (SNI carries host names only). */
    private static javax.net.ssl.SNIServerName sniOf(String host) {
        return host == null || host.isEmpty() || io.netty.util.NetUtil.isValidIpV4Address(host)
                || io.netty.util.NetUtil.isValidIpV6Address(host) ? null : new javax.net.ssl.SNIHostName(host);
    }

    /**
     * Where a try to {@code endpoint} goes: through the peer's sidecar whenever it has one (its policies apply), with
     * mutual TLS unless the DestinationRule disables it; straight to the app only when there is no sidecar to go through.
     */
    private RetryingForwarder.Target target(Cluster cluster, Endpoint endpoint, String requestHost, String path,
                                            Consumer<HttpHeaders> extraHeaders) {
        RequestMirror.Upstream upstream = upstream(cluster, endpoint, requestHost);
        return new RetryingForwarder.Target(upstream.client(), upstream.origin() + path,
                upstream.headers().andThen(extraHeaders));
    }

    /**
     * How a request (or a mirror's copy) reaches an endpoint: the client, the origin, and the app-port header. An
     * endpoint that is wherever the request's host says (an external service with resolution NONE) is reached at
     * {@code requestHost}.
     */
    private RequestMirror.Upstream upstream(Cluster cluster, Endpoint endpoint, String requestHost) {
        boolean viaSidecar = endpoint.hasSidecar();
        boolean mutualTls = meshTls(cluster, endpoint);
        boolean originate = !viaSidecar && cluster.originatesTls();
        String address = ServiceEndpoint.ORIGINAL_DESTINATION.equals(endpoint.address()) ? requestHost : endpoint.address();
        String origin = (mutualTls || originate ? "https://" : "http://") + address + ":"
                + (viaSidecar ? endpoint.sidecarPort() : endpoint.appPort());
        int appPort = endpoint.appPort();
        return new RequestMirror.Upstream(clientFor(cluster, mutualTls, originate), origin, headers -> {
            headers.remove(APP_PORT_HEADER);
            if (viaSidecar) {
                headers.set(APP_PORT_HEADER, String.valueOf(appPort));
            }
        });
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
        telemetry.record(new RequestTelemetry.Request("source", view.method(), view.authority(), view.loggedPathAndQuery(),
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
