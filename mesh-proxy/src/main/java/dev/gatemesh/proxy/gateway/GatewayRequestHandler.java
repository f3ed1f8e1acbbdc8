package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.authn.RequestAuthenticator;
import dev.gatemesh.proxy.inbound.Authorizer;
import dev.gatemesh.proxy.inbound.InboundRequest;
import dev.gatemesh.proxy.listener.InboundListener;
import dev.gatemesh.proxy.listener.MeshDispatcher;
import dev.gatemesh.proxy.listener.ServerRequestView;
import dev.gatemesh.proxy.route.GatewayListener;
import dev.gatemesh.proxy.route.GatewayServer;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.proxy.runtime.MeshState;
import dev.gatemesh.proxy.runtime.ProxyState;
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

    private final MeshState state;
    private final MeshDispatcher dispatcher;
    private final RateLimitCheck rateLimits;
    private final Supplier<String> requestIds;
    private final String gateway;

    /**
     * @param requestIds makes an {@code x-request-id} for requests that come without one
     * @param gateway    this gateway's workload name, for logs
     */
    GatewayRequestHandler(MeshState state, MeshDispatcher dispatcher, RateLimitCheck rateLimits, Supplier<String> requestIds,
                          String gateway) {
        this.state = state;
        this.dispatcher = dispatcher;
        this.rateLimits = rateLimits;
        this.requestIds = requestIds;
        this.gateway = gateway;
    }

    Mono<Void> handle(int port, boolean secure, HttpServerRequest in, HttpServerResponse out) {
        long start = System.nanoTime();
        ServerRequestView view = new ServerRequestView(in);
        ProxyState current = state.current();
        if (current == null || current.gateways() == null) {
            return dispatcher.refuse(view, out, start, 503, "the gateway has no configuration from the control plane yet");
        }
        GatewayListener listener = current.gateways().listeners().get(port);
        if (listener == null) {
            return dispatcher.refuse(view, out, start, 404, "not found");
        }
        GatewayServer server = listener.serverFor(view.authority());
        if (!secure && server != null && server.tls() != null && server.tls().httpsRedirect()) {
            String location = "https://" + RouteTable.hostPart(view.authority()) + view.pathAndQuery();
            return dispatcher.redirect(view, out, start, 301, location);
        }
        if (server == null || listener.routes().lookup(view.authority()) == null) {
            return dispatcher.refuse(view, out, start, 404, "not found");
        }
        if (current.requestAuthentication().isEmpty()) {
            return authorize(in, out, view, current, listener, start, new RequestAuthenticator.Anonymous());
        }
        return current.requestAuthentication().authenticate(view).flatMap(result -> {
            if (result instanceof RequestAuthenticator.Rejected rejected) {
                authz.warn("Refused {} {} from {} at {}: {}", view.method(), view.path(), view.sourceAddress(), gateway,
                        rejected.reason());
                return dispatcher.refuse(view, out, start, 401, rejected.reason());
            }
            return authorize(in, out, view, current, listener, start, result);
        });
    }

    private Mono<Void> authorize(HttpServerRequest in, HttpServerResponse out, ServerRequestView view, ProxyState current,
                                 GatewayListener listener, long start, RequestAuthenticator.Result authentication) {
        RequestAuthenticator.Authenticated user = authentication instanceof RequestAuthenticator.Authenticated a ? a : null;
        Map<String, Object> claims = user == null ? Map.of() : user.claims();
        Authorizer.Decision decision = current.authorizer().decide(new InboundRequest(view.method(), view.path(),
                RouteTable.hostPart(view.authority()), listener.port(), view::header, null, null, view.sourceAddress(),
                user == null ? null : user.principal(), claims));
        if (!decision.allowed()) {
            authz.warn("Denied {} {} from {} at {}: {}", view.method(), view.path(), view.sourceAddress(), gateway,
                    decision.reason());
            return dispatcher.refuse(view, out, start, 403, decision.reason());
        }
        return rateLimits.retryAfter(RouteTable.hostPart(view.authority()), view.path(), view.sourceAddress(), view::header, claims)
                .map(wait -> limited(view, out, start, wait))
                .switchIfEmpty(Mono.fromSupplier(() -> forward(in, out, view, listener, start, user)))
                .flatMap(response -> response);
    }

    private Mono<Void> limited(ServerRequestView view, HttpServerResponse out, long start, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        out.header(HttpHeaderNames.RETRY_AFTER, String.valueOf(seconds));
        return dispatcher.refuse(view, out, start, 429, "rate limit exceeded: retry after " + seconds + " s");
    }

    private Mono<Void> forward(HttpServerRequest in, HttpServerResponse out, ServerRequestView view, GatewayListener listener,
                               long start, RequestAuthenticator.Authenticated user) {
        String client = view.sourceAddress();
        String scheme = in.scheme();
        return dispatcher.dispatch(listener.routes(), in, out, view, start, headers -> {
            // Who called, as the edge saw it; a client's own X-Forwarded-Client-Cert is never trusted.
            headers.remove(InboundListener.XFCC);
            String forwardedFor = headers.get("x-forwarded-for");
            if (client != null) {
                headers.set("x-forwarded-for", forwardedFor == null ? client : forwardedFor + ", " + client);
            }
            headers.set("x-forwarded-proto", scheme);
            if (!headers.contains("x-request-id")) {
                headers.set("x-request-id", requestIds.get());
            }
            if (user != null) {
                user.removeHeaders().forEach(headers::remove);
                user.addHeaders().forEach(headers::set);
            }
        });
    }
}
