package dev.gatemesh.proxy.route;

import java.util.List;

/**
 * One port of a gateway: the Gateway servers that share it and the routes of the VirtualServices bound to
 * them, looked up by the requested host (exact names in a hash map, then wildcards, longest first).
 *
 * @param port    the port number the servers name
 * @param servers the servers on this port, in the order of their Gateways
 * @param routes  the hosts this port answers for; an unknown host has no entry (the gateway answers 404)
 */
public record GatewayListener(int port, List<GatewayServer> servers, RouteTable routes) {

    public GatewayListener {
        servers = List.copyOf(servers);
    }

    /** The server whose hosts cover the requested host (for TLS settings), or null. */
    public GatewayServer serverFor(String host) {
        String name = host == null ? "" : RouteTable.hostPart(host).toLowerCase(java.util.Locale.ROOT);
        GatewayServer wildcard = null;
        for (GatewayServer server : servers) {
            for (GatewayServer.Host candidate : server.hosts()) {
                if (candidate.pattern().equals(name)) {
                    return server;
                }
                if (wildcard == null && candidate.covers(name)) {
                    wildcard = server;
                }
            }
        }
        return wildcard;
    }
}
