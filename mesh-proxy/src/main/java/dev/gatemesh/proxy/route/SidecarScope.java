package dev.gatemesh.proxy.route;

import dev.gatemesh.api.host.HostNames;
import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.Sidecar;
import dev.gatemesh.api.registry.MeshService;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxySnapshot;
import java.util.List;
import java.util.Locale;

/**
 * The Istio {@code Sidecar} resource that governs one sidecar, and what it says: Istio's precedence is a Sidecar of
 * the workload's namespace whose {@code workloadSelector} selects it, then one of that namespace without a selector,
 * then the root namespace's one without a selector (mesh-wide); the first by name where two tie.
 *
 * @param origin         the governing resource ({@code Sidecar ns/name}), or null when none applies
 * @param namespace      the governing resource's namespace (what {@code ./} means in its hosts)
 * @param outboundPolicy its {@code outboundTrafficPolicy.mode}, or the mesh default when it sets none
 * @param egressHosts    its {@code egress[].hosts} ({@code namespace/dnsName}); empty: every service is visible
 */
public record SidecarScope(String origin, String namespace, RouteTable.OutboundPolicy outboundPolicy,
                           List<String> egressHosts) {

    public SidecarScope {
        egressHosts = List.copyOf(egressHosts);
    }

    /** No Sidecar resource: every service visible, the mesh default policy. */
    public static SidecarScope none(RouteTable.OutboundPolicy meshDefault) {
        return new SidecarScope(null, null, meshDefault, List.of());
    }

    public static SidecarScope of(ProxySnapshot snapshot, ProxyNode self, LoadOptions options,
                                  RouteTable.OutboundPolicy meshDefault) {
        Resource<Sidecar> chosen = null;
        int chosenRank = Integer.MAX_VALUE;
        for (Resource<Sidecar> sidecar : snapshot.<Sidecar>ofKind(Kind.SIDECAR)) {
            int rank = rank(sidecar, self, options.rootNamespace());
            if (rank < chosenRank || rank == chosenRank && rank != Integer.MAX_VALUE && sidecar.name().compareTo(chosen.name()) < 0) {
                chosen = sidecar;
                chosenRank = rank;
            }
        }
        if (chosen == null) {
            return none(meshDefault);
        }
        Sidecar spec = chosen.spec();
        RouteTable.OutboundPolicy policy = spec.outboundTrafficPolicy() == null || spec.outboundTrafficPolicy().mode() == null
                ? meshDefault : RouteTable.OutboundPolicy.valueOf(spec.outboundTrafficPolicy().mode().name());
        List<String> hosts = spec.egress().stream().flatMap(listener -> listener.hosts().stream()).toList();
        return new SidecarScope("Sidecar " + chosen.namespace() + "/" + chosen.name(), chosen.namespace(), policy, hosts);
    }

    private static int rank(Resource<Sidecar> sidecar, ProxyNode self, String rootNamespace) {
        var selector = sidecar.spec().workloadSelector();
        boolean selectsAll = selector == null || selector.labels().isEmpty();
        if (sidecar.namespace().equals(self.namespace())) {
            if (!selectsAll) {
                return self.labels().entrySet().containsAll(selector.labels().entrySet()) ? 0 : Integer.MAX_VALUE;
            }
            return 1;
        }
        return sidecar.namespace().equals(rootNamespace) && selectsAll ? 2 : Integer.MAX_VALUE;
    }

    /** Whether the sidecar may reach {@code service}: listed by one of the egress hosts, or no egress hosts at all. */
    public boolean allows(MeshService service) {
        if (egressHosts.isEmpty()) {
            return true;
        }
        String host = service.host().toLowerCase(Locale.ROOT);
        for (String entry : egressHosts) {
            int slash = entry.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String ns = entry.substring(0, slash);
            String pattern = entry.substring(slash + 1).toLowerCase(Locale.ROOT);
            boolean namespaceMatches = ns.equals("*") || ns.equals(".") && service.namespace().equals(namespace)
                    || ns.equals(service.namespace());
            if (namespaceMatches && (pattern.equals("*") || HostNames.matches(pattern, host) || host.equals(pattern))) {
                return true;
            }
        }
        return false;
    }

    /** How a refusal names the rule that refused: the Sidecar resource, or the mesh default. */
    public String policySource() {
        return origin != null ? origin : "the proxy's gatemesh.proxy.outbound-traffic-policy";
    }
}
