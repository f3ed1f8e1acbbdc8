package dev.gatemesh.meshctl;

import dev.gatemesh.meshctl.text.TextTable;
import dev.gatemesh.proxy.route.Cluster;
import dev.gatemesh.proxy.route.Endpoint;
import dev.gatemesh.proxy.route.GatewayListener;
import dev.gatemesh.proxy.route.GatewayTableBuilder;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.proxy.route.RouteTableBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code meshctl proxy-config endpoints}: every instance each of the proxy's clusters sends to, from the
 * route table the proxy builds from its snapshot; as plain data and as Istio's table.
 */
final class EndpointsView {

    private EndpointsView() {
    }

    /**
     * {@code endpoints}: one entry per endpoint of each cluster, sorted by cluster then address;
     * {@code clustersWithoutEndpoints}: the clusters nothing can be sent to.
     */
    static Map<String, Object> plain(ProxyConfigReading reading) {
        Map<String, Cluster> clusters = new TreeMap<>();
        if (reading.isGateway()) {
            for (GatewayListener listener : GatewayTableBuilder.build(reading.snapshot(), reading.node(), reading.options())
                    .listeners().values()) {
                clusters.putAll(listener.routes().clusters());
            }
        } else {
            clusters.putAll(RouteTableBuilder.build(reading.snapshot(), reading.node(), reading.options(),
                    RouteTable.OutboundPolicy.ALLOW_ANY).clusters());
        }
        List<Map<String, Object>> endpoints = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (Cluster cluster : clusters.values()) {
            if (cluster.endpoints().isEmpty()) {
                empty.add(cluster.name());
            }
            cluster.endpoints().stream()
                    .sorted(Comparator.comparing(Endpoint::address).thenComparingInt(Endpoint::appPort))
                    .forEach(endpoint -> endpoints.add(endpoint(cluster, endpoint)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("proxy", reading.node().id());
        out.put("role", reading.node().role().name());
        out.put("version", reading.snapshot().version());
        out.put("endpoints", endpoints);
        out.put("clustersWithoutEndpoints", empty);
        return out;
    }

    private static Map<String, Object> endpoint(Cluster cluster, Endpoint endpoint) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("endpoint", endpoint.address() + ":" + endpoint.appPort());
        out.put("status", endpoint.healthy() ? "HEALTHY" : "UNHEALTHY");
        out.put("cluster", cluster.name());
        out.put("sidecarPort", endpoint.sidecarPort());
        out.put("identity", endpoint.identity());
        out.put("labels", new TreeMap<>(endpoint.labels()));
        return out;
    }

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> endpoints) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ENDPOINT", "STATUS", "CLUSTER", "SIDECAR", "LABELS"});
        for (Map<String, Object> endpoint : (List<Map<String, Object>>) endpoints.getOrDefault("endpoints", List.of())) {
            Object sidecar = endpoint.get("sidecarPort");
            Map<String, Object> labels = (Map<String, Object>) endpoint.getOrDefault("labels", Map.of());
            rows.add(new String[] {TextTable.text(endpoint.get("endpoint")), TextTable.text(endpoint.get("status")),
                    TextTable.text(endpoint.get("cluster")), sidecar == null ? "none" : ":" + sidecar,
                    labels.isEmpty() ? "-" : String.join(",", new TreeMap<>(labels).entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue()).toList())});
        }
        for (Object cluster : (List<Object>) endpoints.getOrDefault("clustersWithoutEndpoints", List.of())) {
            rows.add(new String[] {"-", "NO ENDPOINTS", String.valueOf(cluster), "-", "-"});
        }
        return TextTable.render(rows);
    }
}
