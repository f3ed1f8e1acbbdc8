package dev.gatemesh.proxy.state;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.RequestAuthentication;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.api.snapshot.ProxySnapshot;
import dev.gatemesh.proxy.authn.JwksCache;
import dev.gatemesh.proxy.authn.RequestAuthenticator;
import dev.gatemesh.proxy.controlplane.SnapshotHandler;
import dev.gatemesh.proxy.inbound.Authorizer;
import dev.gatemesh.proxy.inbound.PeerAuthenticationPolicy;
import dev.gatemesh.proxy.route.EndpointPicker;
import dev.gatemesh.proxy.route.GatewayTable;
import dev.gatemesh.proxy.route.GatewayTableBuilder;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.proxy.route.RouteTableBuilder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import reactor.netty.http.client.HttpClient;

/**
 * The state in force. A snapshot is translated completely before it replaces the previous state in
 * one step; if translation fails the snapshot is refused (NACK) and the previous state stays.
 * Requests in flight keep the state they started with.
 */
public final class MeshState implements SnapshotHandler {

    private final ProxyNode self;
    private final LoadOptions options;
    private final RouteTable.OutboundPolicy outboundPolicy;
    private final EndpointPicker picker;
    private final AtomicReference<ProxyState> current = new AtomicReference<>();

    private final JwksCache jwks;
    private final List<Consumer<ProxyState>> appliedListeners = new CopyOnWriteArrayList<>();

    public MeshState(ProxyNode self, LoadOptions options, RouteTable.OutboundPolicy outboundPolicy, EndpointPicker picker,
                     Clock clock) {
        this.jwks = new JwksCache(HttpClient.create(), clock);
        this.self = self;
        this.options = options;
        this.outboundPolicy = outboundPolicy;
        this.picker = picker;
    }

    @Override
    public void apply(ProxySnapshot snapshot) {
        RouteTable routes = RouteTableBuilder.build(snapshot, self, options, outboundPolicy);
        GatewayTable gateways = self.role() == ProxyRole.SIDECAR ? null : GatewayTableBuilder.build(snapshot, self, options);
        List<RequestAuthentication.JwtRule> jwtRules = new ArrayList<>();
        snapshot.<RequestAuthentication>ofKind(Kind.REQUEST_AUTHENTICATION).forEach(r -> jwtRules.addAll(r.spec().jwtRules()));
        ProxyState next = new ProxyState(snapshot.version(), routes,
                PeerAuthenticationPolicy.of(snapshot, self.namespace(), options.rootNamespace()),
                jwtRules.isEmpty() ? RequestAuthenticator.NONE : RequestAuthenticator.of(jwtRules, jwks),
                Authorizer.of(snapshot), gateways);
        current.set(next);
        if (gateways == null) {
            picker.retainOnly(routes);
        } else {
            List<dev.gatemesh.proxy.route.Cluster> clusters = new ArrayList<>(routes.clusters().values());
            gateways.listeners().values().forEach(listener -> clusters.addAll(listener.routes().clusters().values()));
            picker.retainOnly(clusters);
        }
        appliedListeners.forEach(listener -> listener.accept(next));
    }

    /** Called after each snapshot took effect (a gateway opens and closes its ports here). */
    public void onApplied(Consumer<ProxyState> listener) {
        appliedListeners.add(listener);
    }

    /** The state in force, or null before the first snapshot. */
    public ProxyState current() {
        return current.get();
    }

    public boolean hasConfiguration() {
        return current.get() != null;
    }
}
