package dev.gatemesh.proxy.route;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything a sidecar needs to route outbound requests, built from one snapshot by
 * {@link RouteTableBuilder} and swapped whole when a new snapshot arrives. Host lookup is a hash map of
 * every name a service is addressed by, so its cost does not grow with the number of services.
 *
 * @param byDomain       every domain (lower case, no port) to its virtual host
 * @param wildcards      virtual hosts of wildcard ServiceEntry hosts ({@code *.example.com}), most specific first
 * @param clusters       every cluster by name
 * @param outboundPolicy what happens to hosts that are not in the mesh's registry
 * @param policySource   where that policy comes from (a Sidecar resource, or the mesh default), for refusals
 */
public record RouteTable(String version, Map<String, VirtualHost> byDomain, List<Wildcard> wildcards,
                         Map<String, Cluster> clusters, OutboundPolicy outboundPolicy, String policySource) {

    public RouteTable {
        byDomain = Map.copyOf(byDomain);
        wildcards = List.copyOf(wildcards);
        clusters = Map.copyOf(clusters);
    }

    public RouteTable(String version, Map<String, VirtualHost> byDomain, List<Wildcard> wildcards,
                      Map<String, Cluster> clusters, OutboundPolicy outboundPolicy) {
        this(version, byDomain, wildcards, clusters, outboundPolicy, null);
    }

    /** Istio's {@code outboundTrafficPolicy.mode}. */
    public enum OutboundPolicy { ALLOW_ANY, REGISTRY_ONLY }

    /** @param suffix the part after the {@code *}, e.g. {@code .example.com} */
    public record Wildcard(String suffix, VirtualHost virtualHost) {
    }

    /** The virtual host for a Host header ({@code reviews}, {@code reviews.bookinfo:9080}...), or null. */
    public VirtualHost lookup(String authority) {
        String host = hostPart(authority).toLowerCase(Locale.ROOT);
        VirtualHost exact = byDomain.get(host);
        if (exact != null || wildcards.isEmpty()) {
            return exact;
        }
        for (Wildcard wildcard : wildcards) {
            if (host.endsWith(wildcard.suffix()) && host.length() > wildcard.suffix().length()) {
                return wildcard.virtualHost();
            }
        }
        return null;
    }

    /** The host of an authority: {@code [::1]:80} is {@code ::1}, {@code reviews:9080} is {@code reviews}. */
    public static String hostPart(String authority) {
        if (authority == null) {
            return "";
        }
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(1, end);
        }
        int colon = authority.indexOf(':');
        return colon < 0 || authority.indexOf(':', colon + 1) >= 0 ? authority : authority.substring(0, colon);
    }
}
