package dev.gatemesh.proxy.route;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A gateway table as plain maps and lists, sorted, for golden files and {@code meshctl proxy-config}. */
public final class GatewayTableDump {

    private GatewayTableDump() {
    }

    public static Map<String, Object> toPlain(GatewayTable table) {
        List<Object> listeners = new ArrayList<>();
        table.listeners().keySet().stream().sorted().forEach(port -> {
            GatewayListener listener = table.listeners().get(port);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("port", port);
            out.put("servers", listener.servers().stream().map(GatewayTableDump::server).toList());
            Map<String, Object> routes = RouteTableDump.toPlain(listener.routes());
            routes.remove("outboundPolicy");
            out.putAll(routes);
            listeners.add(out);
        });
        return Map.of("listeners", listeners);
    }

    private static Map<String, Object> server(GatewayServer server) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("gateway", server.gateway());
        if (server.name() != null) {
            out.put("name", server.name());
        }
        out.put("protocol", server.protocol());
        out.put("hosts", server.hosts().stream().map(h -> h.namespace() + "/" + h.pattern()).toList());
        if (server.tls() != null) {
            Map<String, Object> tls = new LinkedHashMap<>();
            if (server.tls().mode() != null) {
                tls.put("mode", server.tls().mode());
            }
            if (server.tls().credentialName() != null) {
                tls.put("credentialName", server.tls().credentialName());
            }
            if (server.tls().httpsRedirect()) {
                tls.put("httpsRedirect", true);
            }
            if (server.tls().minVersion() != null) {
                tls.put("minProtocolVersion", server.tls().minVersion());
            }
            if (server.tls().maxVersion() != null) {
                tls.put("maxProtocolVersion", server.tls().maxVersion());
            }
            out.put("tls", tls);
        }
        return out;
    }
}
