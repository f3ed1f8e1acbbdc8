package dev.gatemesh.proxy.route;

import java.util.Map;

/**
 * What a gateway proxy serves: a listener per port of the Gateway servers that select it.
 *
 * @param version   the snapshot's version
 * @param listeners by port number
 */
public record GatewayTable(String version, Map<Integer, GatewayListener> listeners) {

    public GatewayTable {
        listeners = Map.copyOf(listeners);
    }
}
