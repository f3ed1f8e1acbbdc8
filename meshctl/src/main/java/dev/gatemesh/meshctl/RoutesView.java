package dev.gatemesh.meshctl;

import dev.gatemesh.meshctl.text.TextTable;
import dev.gatemesh.proxy.route.GatewayTableBuilder;
import dev.gatemesh.proxy.route.GatewayTableDump;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.proxy.route.RouteTableBuilder;
import dev.gatemesh.proxy.route.RouteTableDump;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code meshctl proxy-config routes}: the proxy's route table, translated from its snapshot by the
 * proxy's own builders; as plain data (the {@code RouteTableDump} form) and as an Istio-like table,
 * one row per route.
 */
final class RoutesView {

    private static final String IGNORING_CASE = " (ignoring case)";

    private RoutesView() {
    }

    /**
     * A sidecar's outbound virtual hosts ({@code virtualHosts}), or a gateway's ports ({@code listeners},
     * each with its servers and virtual hosts). Clusters are left to {@link EndpointsView}.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> plain(ProxyConfigReading reading) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("proxy", reading.node().id());
        out.put("role", reading.node().role().name());
        out.put("version", reading.snapshot().version());
        if (reading.isGateway()) {
            List<Map<String, Object>> listeners = (List<Map<String, Object>>) GatewayTableDump.toPlain(
                    GatewayTableBuilder.build(reading.snapshot(), reading.node(), reading.options())).get("listeners");
            listeners.forEach(listener -> listener.remove("clusters"));
            out.put("listeners", listeners);
        } else {
            RouteTable table = RouteTableBuilder.build(reading.snapshot(), reading.node(), reading.options(),
                    RouteTable.OutboundPolicy.ALLOW_ANY);
            // An Istio Sidecar resource sets the outbound policy; without one it is the sidecar's own setting (not known here).
            if (table.policySource() != null && table.policySource().startsWith("Sidecar ")) {
                out.put("outboundTrafficPolicy", table.outboundPolicy().name() + " (" + table.policySource() + ")");
            }
            out.put("virtualHosts", RouteTableDump.toPlain(table).get("virtualHosts"));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> routes) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "DOMAINS", "MATCH", "DESTINATIONS", "VIRTUAL SERVICE"});
        if (routes.get("listeners") instanceof List<?> listeners) {
            for (Map<String, Object> listener : (List<Map<String, Object>>) listeners) {
                List<Map<String, Object>> servers = (List<Map<String, Object>>) listener.getOrDefault("servers", List.of());
                String protocol = servers.isEmpty() ? "http" : String.valueOf(servers.get(0).get("protocol")).toLowerCase();
                String name = protocol + "." + listener.get("port");
                List<Map<String, Object>> hosts = (List<Map<String, Object>>) listener.getOrDefault("virtualHosts", List.of());
                if (hosts.isEmpty()) {
                    rows.add(new String[] {name, "*", "-", "404 (no VirtualService bound)", "-"});
                }
                hosts.forEach(host -> addRows(rows, name, host));
            }
        } else {
            for (Map<String, Object> host : (List<Map<String, Object>>) routes.getOrDefault("virtualHosts", List.of())) {
                List<Object> ports = (List<Object>) host.getOrDefault("ports", List.of());
                addRows(rows, ports.isEmpty() ? "-" : String.join(",", ports.stream().map(String::valueOf).toList()), host);
            }
        }
        String policy = routes.get("outboundTrafficPolicy") instanceof String mode
                ? "\nOther hosts: " + (mode.startsWith("REGISTRY_ONLY") ? "refused, " : "passed through, ") + mode + "\n" : "";
        return TextTable.render(rows) + policy;
    }

    @SuppressWarnings("unchecked")
    private static void addRows(List<String[]> rows, String name, Map<String, Object> host) {
        String domains = domains((List<String>) host.getOrDefault("domains", List.of(host.get("host"))));
        for (Map<String, Object> route : (List<Map<String, Object>>) host.getOrDefault("routes", List.of())) {
            rows.add(new String[] {name, domains, match(route), destinations(route), virtualService(route)});
        }
    }

    /** Istio's way: the two shortest names, then how many more. */
    static String domains(List<String> domains) {
        List<String> sorted = domains.stream().sorted(Comparator.comparingInt(String::length)
                .thenComparing(Comparator.naturalOrder())).toList();
        String shown = String.join(", ", sorted.subList(0, Math.min(2, sorted.size())));
        return sorted.size() > 2 ? shown + " +" + (sorted.size() - 2) + " more" : shown;
    }

    /** Each match (any may hold, {@code |}) as its URI ({@code /*} for any) and its other conditions. */
    @SuppressWarnings("unchecked")
    static String match(Map<String, Object> route) {
        List<Map<String, Object>> matches = (List<Map<String, Object>>) route.getOrDefault("match", List.of());
        if (matches.isEmpty()) {
            return "/*";
        }
        List<String> out = new ArrayList<>();
        for (Map<String, Object> match : matches) {
            StringBuilder text = new StringBuilder(uri((String) match.get("uri")));
            for (String key : List.of("method", "scheme", "authority", "port")) {
                if (match.get(key) != null) {
                    text.append(' ').append(key).append('=').append(match.get(key));
                }
            }
            conditions(text, "header ", (Map<String, Object>) match.get("headers"), "=");
            conditions(text, "header ", (Map<String, Object>) match.get("withoutHeaders"), "!=");
            conditions(text, "query ", (Map<String, Object>) match.get("queryParams"), "=");
            out.add(text.toString());
        }
        return String.join(" | ", out);
    }

    private static String uri(String uri) {
        if (uri == null) {
            return "/*";
        }
        if (uri.startsWith("exact:") && !uri.endsWith(IGNORING_CASE)) {
            return uri.substring("exact:".length());
        }
        if (uri.startsWith("prefix:") && !uri.endsWith(IGNORING_CASE)) {
            return uri.substring("prefix:".length()) + "*";
        }
        return uri;
    }

    private static void conditions(StringBuilder text, String label, Map<String, Object> conditions, String operator) {
        if (conditions != null) {
            conditions.forEach((name, value) -> text.append(' ').append(label).append(name).append(operator).append(value));
        }
    }

    /** Each destination as {@code host:port|subset}, with its weight when the route splits traffic. */
    @SuppressWarnings("unchecked")
    static String destinations(Map<String, Object> route) {
        if (route.get("redirect") instanceof Map<?, ?> redirect) {
            List<String> to = new ArrayList<>();
            redirect.forEach((key, value) -> {
                if (!key.equals("status")) {
                    to.add(key + "=" + value);
                }
            });
            return "redirect " + redirect.get("status") + (to.isEmpty() ? "" : " " + String.join(" ", to));
        }
        List<Map<String, Object>> forward = (List<Map<String, Object>>) route.getOrDefault("forward", List.of());
        List<String> out = new ArrayList<>();
        for (Map<String, Object> destination : forward) {
            List<String> clusters = destination.get("cluster") != null ? List.of(String.valueOf(destination.get("cluster")))
                    : ((Map<String, Object>) destination.getOrDefault("clusterByRequestPort", Map.of())).values().stream()
                    .map(String::valueOf).toList();
            String weight = forward.size() > 1 || !Integer.valueOf(100).equals(destination.get("weight"))
                    ? " " + destination.get("weight") + "%" : "";
            out.add(clusters(clusters) + weight);
        }
        return out.isEmpty() ? "-" : String.join(", ", out);
    }

    /** {@code outbound|9080|v1|reviews.bookinfo.svc.cluster.local} as {@code reviews.bookinfo:9080|v1}; ports of one subset joined. */
    private static String clusters(List<String> names) {
        if (names.isEmpty() || !names.stream().allMatch(n -> n.startsWith("outbound|"))) {
            return names.isEmpty() ? "-" : String.join(", ", names);
        }
        String[] first = names.get(0).split("\\|", 4);
        boolean samePlace = names.stream().map(n -> n.split("\\|", 4))
                .allMatch(p -> p[2].equals(first[2]) && p[3].equals(first[3]));
        if (!samePlace) {
            return String.join(", ", names);
        }
        TreeSet<Integer> ports = new TreeSet<>();
        names.forEach(n -> ports.add(Integer.parseInt(n.split("\\|", 4)[1])));
        String host = first[3].contains(".svc.") ? first[3].substring(0, first[3].indexOf(".svc.")) : first[3];
        return host + ":" + String.join(",", ports.stream().map(String::valueOf).toList())
                + (first[2].isEmpty() ? "" : "|" + first[2]);
    }

    /** {@code VirtualService bookinfo/reviews} as {@code bookinfo/reviews}; a default route has none. */
    private static String virtualService(Map<String, Object> route) {
        String origin = String.valueOf(route.get("origin"));
        return origin.startsWith("VirtualService ") ? origin.substring("VirtualService ".length()) : "-";
    }
}
