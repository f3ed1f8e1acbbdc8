package dev.gatemesh.proxy.route;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.model.Gateway;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxySnapshot;
import dev.gatemesh.api.host.HostNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Translates a gateway's snapshot into its {@link GatewayTable}, as a pure function: the servers of the
 * Gateways that select the gateway, grouped by port, and for each port the VirtualServices bound to those
 * Gateways ({@code gateways: [name]} in the Gateway's namespace, or {@code namespace/name}), keyed by the
 * host names both the server and the VirtualService name (the narrower of the two, as Istio does). A server
 * host {@code ns/host} admits only that namespace's VirtualServices; {@code ./host} the Gateway's own.
 * Where several VirtualServices name one host, the first in snapshot order wins.
 */
public final class GatewayTableBuilder {

    private final ProxySnapshot snapshot;
    private final LoadOptions options;
    private final RouteTableBuilder routes;

    private GatewayTableBuilder(ProxySnapshot snapshot, ProxyNode self, LoadOptions options) {
        this.snapshot = snapshot;
        this.options = options;
        this.routes = new RouteTableBuilder(snapshot, self, options);
    }

    public static GatewayTable build(ProxySnapshot snapshot, ProxyNode self, LoadOptions options) {
        return new GatewayTableBuilder(snapshot, self, options).build();
    }

    private GatewayTable build() {
        Map<Integer, List<GatewayServer>> serversByPort = new TreeMap<>();
        for (Resource<Gateway> gateway : snapshot.<Gateway>ofKind(Kind.GATEWAY)) {
            for (Gateway.Server server : gateway.spec().servers()) {
                if (server.port() == null || server.port().number() == null) {
                    continue;
                }
                serversByPort.computeIfAbsent(server.port().number(), p -> new ArrayList<>()).add(server(gateway, server));
            }
        }
        Map<Integer, GatewayListener> listeners = new TreeMap<>();
        List<Resource<VirtualService>> virtualServices = snapshot.ofKind(Kind.VIRTUAL_SERVICE);
        serversByPort.forEach((port, servers) -> {
            Map<String, VirtualHost> byDomain = new HashMap<>();
            List<RouteTable.Wildcard> wildcards = new ArrayList<>();
            Set<String> taken = new LinkedHashSet<>();
            for (Resource<VirtualService> virtualService : virtualServices) {
                for (GatewayServer server : servers) {
                    Set<String> bindings = bindings(virtualService, server.gateway());
                    if (bindings.isEmpty()) {
                        continue;
                    }
                    for (String domain : domains(virtualService, server)) {
                        if (!taken.add(domain)) {
                            continue;
                        }
                        VirtualHost host = new VirtualHost(domain, List.of(domain), List.of(port),
                                onServicePorts(routes.routes(virtualService, bindings)), RouteTableBuilder.origin(virtualService));
                        if (domain.startsWith("*")) {
                            wildcards.add(new RouteTable.Wildcard(domain.substring(1), host));
                        } else {
                            byDomain.put(domain, host);
                        }
                    }
                }
            }
            wildcards.sort(Comparator.comparingInt((RouteTable.Wildcard w) -> -w.suffix().length())
                    .thenComparing(RouteTable.Wildcard::suffix));
            RouteTable table = new RouteTable(snapshot.version(), byDomain, wildcards, routes.clusters(),
                    RouteTable.OutboundPolicy.REGISTRY_ONLY);
            listeners.put(port, new GatewayListener(port, servers, table));
        });
        return new GatewayTable(snapshot.version(), listeners);
    }

    /**
     * A gateway's request port (80, 443) is not the service's: a destination without a port goes to the
     * service's only port (Istio requires the port where a service has several).
     */
    private static List<Route> onServicePorts(List<Route> routes) {
        List<Route> out = new ArrayList<>();
        for (Route route : routes) {
            if (route.action() instanceof RouteAction.Forward forward) {
                List<WeightedCluster> destinations = forward.destinations().stream().map(d -> d.fixedPort() == null
                        && d.byPort().size() == 1 ? new WeightedCluster(d.byPort(), d.byPort().keySet().iterator().next(),
                        d.weight(), d.requestHeaders(), d.responseHeaders()) : d).toList();
                route = new Route(route.name(), route.origin(), route.matches(), new RouteAction.Forward(destinations,
                        forward.rewriteUri(), forward.rewriteAuthority()), route.requestHeaders(), route.responseHeaders(),
                        route.timeout(), route.retries(), route.fault(),
                        route.mirror() == null ? null : route.mirror().onOnlyPort());
            }
            out.add(route);
        }
        return out;
    }

    private static GatewayServer server(Resource<Gateway> gateway, Gateway.Server server) {
        List<GatewayServer.Host> hosts = new ArrayList<>();
        for (String host : server.hosts()) {
            int slash = host.indexOf('/');
            String namespace = slash < 0 ? "*" : host.substring(0, slash);
            if (namespace.equals(".")) {
                namespace = gateway.namespace();
            }
            hosts.add(new GatewayServer.Host(namespace, host.substring(slash + 1).toLowerCase(Locale.ROOT)));
        }
        Gateway.ServerTlsSettings tls = server.tls();
        GatewayServer.Tls settings = tls == null ? null : new GatewayServer.Tls(tls.mode() == null ? null : tls.mode().name(),
                tls.credentialName(), Boolean.TRUE.equals(tls.httpsRedirect()),
                tls.minProtocolVersion() == null ? null : tls.minProtocolVersion().name(),
                tls.maxProtocolVersion() == null ? null : tls.maxProtocolVersion().name());
        String protocol = server.port().protocol() == null ? "HTTP" : server.port().protocol().toUpperCase(Locale.ROOT);
        return new GatewayServer(gateway.namespace() + "/" + gateway.name(), server.name(), server.port().number(), protocol,
                hosts, settings);
    }

    /** The names by which the VirtualService binds to {@code gateway} ({@code ns/name}); empty when it does not. */
    private static Set<String> bindings(Resource<VirtualService> virtualService, String gateway) {
        Set<String> out = new LinkedHashSet<>();
        String shortName = gateway.substring(gateway.indexOf('/') + 1);
        boolean sameNamespace = gateway.startsWith(virtualService.namespace() + "/");
        for (String name : virtualService.spec().gateways()) {
            if (name.equals(gateway) || sameNamespace && name.equals(shortName)) {
                out.add(name);
            }
        }
        return out;
    }

    /** The host names both the server and the VirtualService cover: for each pair, the narrower. */
    private List<String> domains(Resource<VirtualService> virtualService, GatewayServer server) {
        List<String> out = new ArrayList<>();
        for (String written : virtualService.spec().hosts()) {
            String host = HostNames.qualify(written, virtualService.namespace(), options.domainSuffix()).toLowerCase(Locale.ROOT);
            for (GatewayServer.Host serverHost : server.hosts()) {
                if (!serverHost.admits(virtualService.namespace()) || !serverHost.intersects(host)) {
                    continue;
                }
                String domain = serverHost.covers(host) ? host : serverHost.pattern();
                if (!out.contains(domain)) {
                    out.add(domain);
                }
            }
        }
        return out;
    }
}
