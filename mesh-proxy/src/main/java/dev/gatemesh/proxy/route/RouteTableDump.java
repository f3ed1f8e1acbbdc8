package dev.gatemesh.proxy.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A route table as plain data, deterministic (sorted), for golden files and for inspecting a proxy
 * ({@code meshctl proxy-config routes}). Empty parts are left out.
 */
public final class RouteTableDump {

    private RouteTableDump() {
    }

    public static Map<String, Object> toPlain(RouteTable table) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("outboundPolicy", table.outboundPolicy().name());
        if (table.policySource() != null && table.policySource().startsWith("Sidecar ")) {
            out.put("outboundPolicyFrom", table.policySource());
        }
        List<VirtualHost> hosts = new ArrayList<>(new java.util.LinkedHashSet<>(table.byDomain().values()));
        table.wildcards().forEach(w -> hosts.add(w.virtualHost()));
        hosts.sort(Comparator.comparing(VirtualHost::host));
        out.put("virtualHosts", hosts.stream().map(RouteTableDump::virtualHost).toList());
        out.put("clusters", table.clusters().values().stream().sorted(Comparator.comparing(Cluster::name))
                .map(RouteTableDump::cluster).toList());
        return out;
    }

    private static Map<String, Object> virtualHost(VirtualHost host) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("host", host.host());
        out.put("domains", host.domains());
        out.put("ports", host.ports());
        put(out, "routedBy", host.origin());
        out.put("routes", host.routes().stream().map(RouteTableDump::route).toList());
        return out;
    }

    private static Map<String, Object> route(Route route) {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "name", route.name());
        out.put("origin", route.origin());
        if (!route.matches().isEmpty()) {
            out.put("match", route.matches().stream().map(RouteTableDump::match).toList());
        }
        if (route.action() instanceof RouteAction.Forward forward) {
            out.put("forward", forward.destinations().stream().map(RouteTableDump::destination).toList());
            put(out, "rewriteUri", forward.rewriteUri());
            put(out, "rewriteAuthority", forward.rewriteAuthority());
        } else if (route.action() instanceof RouteAction.Redirect redirect) {
            Map<String, Object> to = new LinkedHashMap<>();
            put(to, "uri", redirect.uri());
            put(to, "authority", redirect.authority());
            put(to, "port", redirect.port());
            put(to, "scheme", redirect.scheme());
            to.put("status", redirect.status());
            out.put("redirect", to);
        }
        headers(out, "requestHeaders", route.requestHeaders());
        headers(out, "responseHeaders", route.responseHeaders());
        put(out, "timeout", RouteTableBuilder.durationText(route.timeout()));
        if (route.retries() != null) {
            Map<String, Object> retries = new LinkedHashMap<>();
            retries.put("attempts", route.retries().attempts());
            put(retries, "perTryTimeout", RouteTableBuilder.durationText(route.retries().perTryTimeout()));
            if (!route.retries().retryOn().isEmpty()) {
                retries.put("retryOn", route.retries().retryOn());
            }
            out.put("retries", retries);
        }
        if (route.fault() != null) {
            out.put("fault", fault(route.fault()));
        }
        if (route.mirror() != null) {
            out.put("mirror", mirror(route.mirror()));
        }
        return out;
    }

    private static Map<String, Object> mirror(Mirror mirror) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("host", mirror.host());
        Map<String, Object> destination = destination(new WeightedCluster(mirror.byPort(), mirror.fixedPort(), 100,
                HeaderOps.NONE, HeaderOps.NONE));
        destination.remove("weight");
        out.putAll(destination);
        out.put("percentage", percentage(mirror.percentage()));
        return out;
    }

    private static Map<String, Object> fault(Fault fault) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (fault.delay() != null) {
            Map<String, Object> delay = new LinkedHashMap<>();
            delay.put("fixedDelay", RouteTableBuilder.durationText(fault.delay().fixedDelay()));
            delay.put("percentage", percentage(fault.delay().percentage()));
            out.put("delay", delay);
        }
        if (fault.abort() != null) {
            Map<String, Object> abort = new LinkedHashMap<>();
            abort.put("httpStatus", fault.abort().httpStatus());
            abort.put("percentage", percentage(fault.abort().percentage()));
            out.put("abort", abort);
        }
        return out;
    }

    /** {@code 100} rather than {@code 100.0}; decimals kept when there are some. */
    private static Object percentage(double value) {
        return value == Math.rint(value) ? (Object) (long) value : (Object) value;
    }

    private static Map<String, Object> match(RequestMatch match) {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "name", match.name());
        put(out, "uri", describe(match.uri()));
        put(out, "scheme", describe(match.scheme()));
        put(out, "method", describe(match.method()));
        put(out, "authority", describe(match.authority()));
        matchers(out, "headers", match.headers());
        matchers(out, "withoutHeaders", match.withoutHeaders());
        matchers(out, "queryParams", match.queryParams());
        put(out, "port", match.port());
        return out;
    }

    private static Map<String, Object> destination(WeightedCluster destination) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("weight", destination.weight());
        if (destination.byPort().isEmpty()) {
            out.put("cluster", "none: the destination is not in the registry");
        } else if (destination.fixedPort() != null) {
            Cluster cluster = destination.byPort().get(destination.fixedPort());
            out.put("cluster", cluster == null ? "none: the service has no port " + destination.fixedPort() : cluster.name());
        } else {
            Map<String, Object> byPort = new TreeMap<>();
            destination.byPort().forEach((port, cluster) -> byPort.put(String.valueOf(port), cluster.name()));
            out.put("clusterByRequestPort", byPort);
        }
        headers(out, "requestHeaders", destination.requestHeaders());
        headers(out, "responseHeaders", destination.responseHeaders());
        return out;
    }

    private static Map<String, Object> cluster(Cluster cluster) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", cluster.name());
        LoadBalancing lb = cluster.loadBalancing();
        out.put("loadBalancing", lb.hashOn() == null ? lb.policy().name()
                : lb.policy().name() + " on " + lb.hashOn().source().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + (lb.hashOn().name() == null ? "" : " " + lb.hashOn().name()));
        out.put("tls", cluster.tls().name());
        if (cluster.clientTls() != null) {
            out.put("clientTls", clientTls(cluster.clientTls()));
        }
        if (!cluster.pool().describe().isEmpty()) {
            out.put("connectionPool", cluster.pool().describe());
        }
        if (cluster.outlier() != null) {
            out.put("outlierDetection", cluster.outlier().describe());
        }
        out.put("endpoints", cluster.endpoints().stream().map(RouteTableDump::endpoint).toList());
        return out;
    }

    private static String clientTls(ClientTls tls) {
        return tls.mode() + (tls.sni() == null ? "" : " sni=" + tls.sni())
                + (tls.subjectAltNames().isEmpty() ? "" : " subjectAltNames=" + tls.subjectAltNames())
                + (tls.caCertificates() == null ? "" : " caCertificates=" + tls.caCertificates())
                + (tls.credentialName() == null ? "" : " credentialName=" + tls.credentialName())
                + (tls.insecureSkipVerify() ? " insecureSkipVerify" : "");
    }

    private static String endpoint(Endpoint endpoint) {
        String address = dev.gatemesh.api.registry.ServiceEndpoint.ORIGINAL_DESTINATION.equals(endpoint.address())
                ? "(the requested host)" : endpoint.address();
        return address + ":" + endpoint.appPort()
                + (endpoint.hasSidecar() ? " via sidecar :" + endpoint.sidecarPort() : " (no sidecar)")
                + " " + (endpoint.identity() == null ? "outside the mesh" : endpoint.identity()) + " "
                + new TreeMap<>(endpoint.labels()) + (endpoint.healthy() ? "" : " UNHEALTHY");
    }

    private static String describe(TextMatcher matcher) {
        if (matcher == null) {
            return null;
        }
        return matcher == RouteTableBuilder.PRESENT ? "present" : matcher.describe();
    }

    private static void matchers(Map<String, Object> out, String key, Map<String, TextMatcher> matchers) {
        if (!matchers.isEmpty()) {
            Map<String, Object> sorted = new TreeMap<>();
            matchers.forEach((name, matcher) -> sorted.put(name, describe(matcher)));
            out.put(key, sorted);
        }
    }

    private static void headers(Map<String, Object> out, String key, HeaderOps ops) {
        if (ops.isEmpty()) {
            return;
        }
        Map<String, Object> plain = new LinkedHashMap<>();
        if (!ops.set().isEmpty()) {
            plain.put("set", new TreeMap<>(ops.set()));
        }
        if (!ops.add().isEmpty()) {
            plain.put("add", new TreeMap<>(ops.add()));
        }
        if (!ops.remove().isEmpty()) {
            plain.put("remove", ops.remove());
        }
        out.put(key, plain);
    }

    private static void put(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
