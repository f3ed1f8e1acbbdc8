package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.authn.EndUserHeaders;
import dev.gatemesh.proxy.authn.RequestAuthenticator;
import dev.gatemesh.proxy.inbound.Authorizer;
import dev.gatemesh.proxy.inbound.InboundRequest;
import dev.gatemesh.proxy.http.HeaderSpellings;
import dev.gatemesh.proxy.listener.EndUserAuthentication;
import dev.gatemesh.proxy.listener.InboundListener;
import dev.gatemesh.proxy.listener.MeshDispatcher;
import dev.gatemesh.proxy.listener.ServerRequestView;
import dev.gatemesh.proxy.path.PathNormalization;
import dev.gatemesh.proxy.route.GatewayListener;
import dev.gatemesh.proxy.route.GatewayServer;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.proxy.state.MeshState;
import dev.gatemesh.proxy.state.ProxyState;
import dev.gatemesh.proxy.egress.BodyBytes;
import dev.gatemesh.proxy.egress.EgressAudit;
import dev.gatemesh.proxy.egress.TraceContext;
import dev.gatemesh.proxy.tls.PeerTls;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * What a gateway port does with a request, in Istio's order: the Gateway server for the requested host
 * (plain-text requests to a server with {@code httpsRedirect} get a 301 to https), the VirtualService routes
 * bound to it (an unknown host is a 404 that names nothing inside), end-user authentication
 * (RequestAuthentication: an invalid token is a 401, a missing one passes), AuthorizationPolicy (403), the
 * rate limits (429 with Retry-After), then into the mesh over mutual TLS with the gateway's identity.
 */
final class GatewayRequestHandler {

    private static final Logger authz = LoggerFactory.getLogger("gatemesh.authz");

    /** What the edge tells the mesh about a caller, never in a spelling of the caller's. */
    private static final java.util.Set<String> EDGE_HEADERS = java.util.Set.of(InboundListener.XFCC, "x-forwarded-for",
            "x-forwarded-proto");

    private final MeshState state;
    private final MeshDispatcher dispatcher;
    private final RateLimitCheck rateLimits;
    private final Supplier<String> requestIds;
    private final String gateway;
    private final PeerTls peers;
    private final EgressAudit audit;
    private final Supplier<String> traceparents;
    private final PathNormalization normalization;

    /**
     * @param requestIds makes an {@code x-request-id} for requests that come without one
     * @param gateway    this gateway's workload name, for logs
     * @param peers      tells the mesh identity of a caller over ISTIO_MUTUAL
     * @param audit      the egress gateway's audit log; null for the ingress gateway
     * @param traceparents makes a {@code traceparent} for egress requests that come without trace context
     * @param normalization how request paths are normalized before anything reads them
     */
    GatewayRequestHandler(MeshState state, MeshDispatcher dispatcher, RateLimitCheck rateLimits, Supplier<String> requestIds,
                          String gateway, PeerTls peers, EgressAudit audit, Supplier<String> traceparents,
                          PathNormalization normalization) {
        this.normalization = normalization;
        this.state = state;
        this.dispatcher = dispatcher;
        this.rateLimits = rateLimits;
        this.requestIds = requestIds;
        this.gateway = gateway;
        this.peers = peers;
        this.audit = audit;
        this.traceparents = traceparents;
    }

    Mono<Void> handle(int port, boolean secure, HttpServerRequest in, HttpServerResponse out) {
        long start = System.nanoTime();
        ServerRequestView view = new ServerRequestView(in, normalization);
        if (audit == null) {
            return serve(port, secure, in, out, view, start, null);
        }
        return audited(port, secure, in, out, view, start);
    }

    /**
     * The egress gateway: every request leaves exactly one audit line, written when its response is complete (or
     * the exchange failed), with the trace id it carried or was given here.
     */
    private Mono<Void> audited(int port, boolean secure, HttpServerRequest in, HttpServerResponse out, ServerRequestView view,
                               long start) {
        String carried = TraceContext.traceIdOf(view::header);
        String traceparent = carried == null ? traceparents.get() : null;
        String traceId = carried != null ? carried : traceparent.split("-")[1];
        BodyBytes[] bytes = new BodyBytes[1];
        String[] principal = new String[1];
        in.withConnection(connection -> {
            bytes[0] = BodyBytes.on(connection.channel());
            principal[0] = secure ? peers.verifiedPeerPrincipal(connection.channel()) : null;
        });
        return serve(port, secure, in, out, view, start, traceparent).doFinally(signal -> audit.record(new EgressAudit.Entry(principal[0],
                view.sourceAddress(), RouteTable.hostPart(view.authority()), view.method(), view.path(), out.status().code(),
                bytes[0] == null ? 0 : bytes[0].received(), bytes[0] == null ? 0 : bytes[0].sent(),
                (System.nanoTime() - start) / 1_000_000, traceId, view.header("x-request-id"))));
    }

    /** @param traceparent the trace context to add to the forwarded request, or null to keep the request's */
    private Mono<Void> serve(int port, boolean secure, HttpServerRequest in, HttpServerResponse out, ServerRequestView view,
                             long start, String traceparent) {
        ProxyState current = state.current();
        if (in.method().equals(HttpMethod.CONNECT)) {
            return dispatcher.refuse(view, out, start, 403, "CONNECT " + view.authority() + " refused: the gateway forwards "
                    + "HTTP requests for the hosts its Gateway servers declare and never opens tunnels");
        }
        if (view.rejection() != null) {
            return dispatcher.refuse(view, out, start, 400, view.rejection());
        }
        if (current == null || current.gateways() == null) {
            return dispatcher.refuse(view, out, start, 503, "the gateway has no configuration from the control plane yet");
        }
        GatewayListener listener = current.gateways().listeners().get(port);
        if (listener == null) {
            return notDeclared(view, out, start, port);
        }
        GatewayServer server = listener.serverFor(view.authority());
        if (!secure && server != null && server.tls() != null && server.tls().httpsRedirect()) {
            String location = "https://" + RouteTable.hostPart(view.authority()) + view.pathAndQuery();
            return dispatcher.redirect(view, out, start, 301, location);
        }
        if (server == null || listener.routes().lookup(view.authority()) == null) {
            return notDeclared(view, out, start, port);
        }
        String peerPrincipal = null;
        if (secure && server.tls() != null && "ISTIO_MUTUAL".equals(server.tls().mode())) {
            String[] verified = new String[1];
            in.withConnection(connection -> verified[0] = peers.verifiedPeerPrincipal(connection.channel()));
            peerPrincipal = verified[0];
        }
        String peer = peerPrincipal;
        return EndUserAuthentication.authenticate(current.requestAuthentication(), view).flatMap(result -> {
            if (result instanceof RequestAuthenticator.Rejected rejected) {
                authz.warn("Refused {} {} from {} at {}: {}", view.method(), view.path(), view.sourceAddress(), gateway,
                        rejected.reason());
                return dispatcher.refuse(view, out, start, 401, rejected.reason());
            }
            return authorize(in, out, view, current, listener, start, result, peer, traceparent);
        });
    }

    /**
     * A host no Gateway server with a bound VirtualService serves: the ingress gateway says "not found" and names
     * nothing inside; the egress gateway says the host is not declared (no open relay: Host rewriting, absolute URIs
     * and unknown ports all end here).
     */
    private Mono<Void> notDeclared(ServerRequestView view, HttpServerResponse out, long start, int port) {
        if (audit == null) {
            return dispatcher.refuse(view, out, start, 404, "not found");
        }
        return dispatcher.refuse(view, out, start, 502, "the host " + RouteTable.hostPart(view.authority()) + " is not "
                + "declared for egress through this gateway (no Gateway server on port " + port
                + " with a VirtualService bound to it names it); nothing was sent");
    }

    private Mono<Void> authorize(HttpServerRequest in, HttpServerResponse out, ServerRequestView view, ProxyState current,
                                 GatewayListener listener, long start, RequestAuthenticator.Result authentication,
                                 String peerPrincipal, String traceparent) {
        RequestAuthenticator.Authenticated user = authentication instanceof RequestAuthenticator.Authenticated a ? a : null;
        Map<String, Object> claims = user == null ? Map.of() : user.claims();
        Authorizer.Decision decision = current.authorizer().decide(new InboundRequest(view.method(), view.path(),
                RouteTable.hostPart(view.authority()), listener.port(), view::header, peerPrincipal,
                peerPrincipal == null ? null : namespaceOf(peerPrincipal), view.sourceAddress(),
                user == null ? null : user.principal(), claims), view.otherReadings());
        if (!decision.allowed()) {
            authz.warn("Denied {} {} from {} at {}: {}", view.method(), view.path(), view.sourceAddress(), gateway,
                    decision.reason());
            return dispatcher.refuse(view, out, start, 403, decision.reason());
        }
        return rateLimits.retryAfter(RouteTable.hostPart(view.authority()), view.path(), view.sourceAddress(), view::header, claims)
                .map(wait -> limited(view, out, start, wait))
                .switchIfEmpty(Mono.fromSupplier(() -> forward(in, out, view, current, listener, start, user, traceparent)))
                .flatMap(response -> response);
    }

    private Mono<Void> limited(ServerRequestView view, HttpServerResponse out, long start, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        out.header(HttpHeaderNames.RETRY_AFTER, String.valueOf(seconds));
        return dispatcher.refuse(view, out, start, 429, "rate limit exceeded: retry after " + seconds + " s");
    }

    /** The namespace of a principal {@code <trust-domain>/ns/<namespace>/sa/<account>}. */
    private static String namespaceOf(String principal) {
        String[] parts = principal.split("/");
        return parts.length >= 3 && parts[1].equals("ns") ? parts[2] : null;
    }

    private Mono<Void> forward(HttpServerRequest in, HttpServerResponse out, ServerRequestView view, ProxyState current,
                               GatewayListener listener, long start, RequestAuthenticator.Authenticated user,
                               String traceparent) {
        String client = view.sourceAddress();
        String scheme = in.scheme();
        return dispatcher.dispatch(listener.routes(), in, out, view, start, headers -> {
            // Who called, as the edge saw it; a client's own X-Forwarded-Client-Cert is never trusted.
            headers.remove(InboundListener.XFCC);
            HeaderSpellings.removeUnderscoreSpellings(headers, EDGE_HEADERS);
            String forwardedFor = headers.get("x-forwarded-for");
            if (client != null) {
                headers.set("x-forwarded-for", forwardedFor == null ? client : forwardedFor + ", " + client);
            }
            headers.set("x-forwarded-proto", scheme);
            if (!headers.contains("x-request-id")) {
                headers.set("x-request-id", requestIds.get());
            }
            if (traceparent != null) {
                headers.set("traceparent", traceparent);
            }
            EndUserHeaders.apply(current.requestAuthentication(), user, headers);
        });
    }
}
