package dev.gatemesh.proxy.route;

import dev.gatemesh.api.host.HostNames;
import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.model.DestinationRule;
import dev.gatemesh.api.model.IstioDuration;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Percent;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.ServiceEntry;
import dev.gatemesh.api.model.StringMatch;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.registry.MeshService;
import dev.gatemesh.api.registry.ServiceEndpoint;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxySnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Translates a sidecar's snapshot into its outbound {@link RouteTable}: a pure function (no I/O, no
 * clock, no Spring), deterministic, tested with golden files.
 *
 * <p>Istio's sidecar semantics: a service is addressed by its full name and, from its own namespace,
 * by its short forms; the first VirtualService bound to the mesh that names a host routes it (later
 * ones are ignored, and {@code meshctl analyze} reports the conflict); without one the default route
 * sends to every endpoint. A destination's DestinationRule is the one of the proxy's namespace, else of
 * the service's namespace, else of the root namespace; a subset's traffic policy overrides the rule's.
 * Matches on the calling workload ({@code sourceLabels}, {@code sourceNamespace}) are settled here
 * for this proxy.
 */
public final class RouteTableBuilder {

    private final ProxySnapshot snapshot;
    private final ProxyNode self;
    private final LoadOptions options;
    private final Map<String, MeshService> services = new LinkedHashMap<>();
    /** DestinationRules by the host they name, qualified; wildcard hosts apart (they are matched one by one). */
    private final Map<String, List<Resource<DestinationRule>>> rulesByHost = new java.util.HashMap<>();
    private final Map<String, List<Resource<DestinationRule>>> wildcardRules = new LinkedHashMap<>();
    private final Map<String, Cluster> clusters = new TreeMap<>();

    RouteTableBuilder(ProxySnapshot snapshot, ProxyNode self, LoadOptions options) {
        this.snapshot = snapshot;
        this.self = self;
        this.options = options;
        snapshot.services().forEach(service -> services.putIfAbsent(service.host(), service));
        for (Resource<DestinationRule> rule : snapshot.<DestinationRule>ofKind(Kind.DESTINATION_RULE)) {
            String pattern = HostNames.qualify(rule.spec().host(), rule.namespace(), options.domainSuffix());
            if (pattern != null) {
                (pattern.startsWith("*") ? wildcardRules : rulesByHost).computeIfAbsent(pattern, p -> new ArrayList<>()).add(rule);
            }
        }
    }

    /**
     * @param meshDefault the outbound traffic policy where no Istio {@code Sidecar} resource sets one (the proxy's
     *                    {@code gatemesh.proxy.outbound-traffic-policy})
     */
    public static RouteTable build(ProxySnapshot snapshot, ProxyNode self, LoadOptions options,
                                   RouteTable.OutboundPolicy meshDefault) {
        return new RouteTableBuilder(snapshot, self, options).build(SidecarScope.of(snapshot, self, options, meshDefault));
    }

    private RouteTable build(SidecarScope scope) {
        Map<String, Resource<VirtualService>> routedBy = virtualServicesByHost();
        Map<String, VirtualHost> byDomain = new HashMap<>();
        List<RouteTable.Wildcard> wildcards = new ArrayList<>();
        for (MeshService service : services.values()) {
            if (!scope.allows(service)) {
                continue; // not among the Sidecar's egress hosts: this workload does not see it
            }
            Resource<VirtualService> virtualService = routedBy.get(service.host());
            List<Route> routes = virtualService == null ? List.of(defaultRoute(service))
                    : routes(virtualService, MESH);
            List<String> domains = domains(service);
            VirtualHost host = new VirtualHost(service.host(), domains, service.ports().stream()
                    .map(ServiceEntry.ServicePort::number).toList(), routes,
                    virtualService == null ? null : origin(virtualService));
            if (service.host().startsWith("*.")) {
                wildcards.add(new RouteTable.Wildcard(service.host().substring(1).toLowerCase(Locale.ROOT), host));
            } else {
                domains.forEach(domain -> byDomain.putIfAbsent(domain, host));
            }
        }
        wildcards.sort(Comparator.comparingInt((RouteTable.Wildcard w) -> -w.suffix().length())
                .thenComparing(RouteTable.Wildcard::suffix));
        return new RouteTable(snapshot.version(), byDomain, wildcards, clusters, scope.outboundPolicy(),
                scope.policySource());
    }

    /** The first VirtualService bound to the mesh that names each service host. */
    private Map<String, Resource<VirtualService>> virtualServicesByHost() {
        Map<String, Resource<VirtualService>> out = new HashMap<>();
        for (Resource<VirtualService> resource : snapshot.<VirtualService>ofKind(Kind.VIRTUAL_SERVICE)) {
            VirtualService spec = resource.spec();
            if (!spec.gateways().isEmpty() && !spec.gateways().contains("mesh")) {
                continue;
            }
            for (String host : spec.hosts()) {
                String pattern = HostNames.qualify(host, resource.namespace(), options.domainSuffix());
                for (String serviceHost : services.keySet()) {
                    if (HostNames.matches(pattern, serviceHost)) {
                        out.putIfAbsent(serviceHost, resource);
                    }
                }
            }
        }
        return out;
    }

    /** The names a service is addressed by from this proxy: full, and the short forms of a cluster-local name. */
    private List<String> domains(MeshService service) {
        String host = service.host().toLowerCase(Locale.ROOT);
        Set<String> out = new LinkedHashSet<>();
        out.add(host);
        String localSuffix = ".svc." + options.domainSuffix();
        if (host.endsWith(localSuffix)) {
            String nameAndNamespace = host.substring(0, host.length() - localSuffix.length());
            String[] parts = nameAndNamespace.split("\\.");
            if (parts.length == 2) {
                out.add(nameAndNamespace + ".svc");
                out.add(nameAndNamespace);
                if (parts[1].equals(self.namespace())) {
                    out.add(parts[0]);
                }
            }
        }
        return List.copyOf(out);
    }

    private Route defaultRoute(MeshService service) {
        WeightedCluster all = new WeightedCluster(clustersOf(service, null), null, 100, HeaderOps.NONE, HeaderOps.NONE);
        return new Route(null, "default route", List.of(), new RouteAction.Forward(List.of(all), null, null),
                HeaderOps.NONE, HeaderOps.NONE, null, null, null, null);
    }

    /** The binding of sidecars: VirtualServices and matches for the mesh. */
    static final Set<String> MESH = Set.of("mesh");

    /**
     * A VirtualService's HTTP routes as seen by this proxy bound as {@code bindings} (sidecars: {@code mesh};
     * a gateway: the names a VirtualService may use for it): a match that names other gateways, other source
     * labels or another source namespace is not this proxy's.
     */
    List<Route> routes(Resource<VirtualService> resource, Set<String> bindings) {
        List<Route> out = new ArrayList<>();
        for (VirtualService.HttpRoute http : resource.spec().http()) {
            List<RequestMatch> matches = new ArrayList<>();
            for (VirtualService.HttpMatchRequest match : http.match()) {
                if (appliesToThisProxy(match, bindings)) {
                    matches.add(requestMatch(match));
                }
            }
            if (!http.match().isEmpty() && matches.isEmpty()) {
                continue; // every match is about other callers: the route is not this proxy's
            }
            VirtualService.Headers headers = http.headers();
            out.add(new Route(http.name(), origin(resource), matches, action(resource, http),
                    HeaderOps.of(headers == null ? null : headers.request()),
                    HeaderOps.of(headers == null ? null : headers.response()),
                    http.timeout() == null ? null : http.timeout().value(), retries(http.retries()),
                    FaultTranslator.translate(http.fault()), mirror(resource, http)));
        }
        return out;
    }

    private boolean appliesToThisProxy(VirtualService.HttpMatchRequest match, Set<String> bindings) {
        if (!self.labels().entrySet().containsAll(match.sourceLabels().entrySet())) {
            return false;
        }
        if (match.sourceNamespace() != null && !match.sourceNamespace().equals(self.namespace())) {
            return false;
        }
        return match.gateways().isEmpty() || match.gateways().stream().anyMatch(bindings::contains);
    }

    private static RequestMatch requestMatch(VirtualService.HttpMatchRequest match) {
        boolean ignoreCase = Boolean.TRUE.equals(match.ignoreUriCase());
        return new RequestMatch(match.name(), TextMatcher.of(match.uri(), ignoreCase), TextMatcher.of(match.scheme(), false),
                TextMatcher.of(match.method(), false), TextMatcher.of(match.authority(), false),
                matchers(match.headers()), matchers(match.withoutHeaders()), queryMatchers(match.queryParams()), match.port());
    }

    /** Header names are case-insensitive (kept lower case); an empty match means "present". */
    private static Map<String, TextMatcher> matchers(Map<String, StringMatch> byName) {
        Map<String, TextMatcher> out = new HashMap<>();
        byName.forEach((name, match) -> out.put(name.toLowerCase(Locale.ROOT), TextMatcher.of(match, false)));
        return nullSafe(out);
    }

    private static Map<String, TextMatcher> queryMatchers(Map<String, StringMatch> byName) {
        Map<String, TextMatcher> out = new HashMap<>();
        byName.forEach((name, match) -> out.put(name, TextMatcher.of(match, false)));
        return nullSafe(out);
    }

    /** Map.copyOf refuses null values: an empty (presence) match is kept as a matcher of nothing but presence. */
    private static Map<String, TextMatcher> nullSafe(Map<String, TextMatcher> matchers) {
        Map<String, TextMatcher> out = new HashMap<>();
        matchers.forEach((name, matcher) -> out.put(name, matcher == null ? PRESENT : matcher));
        return out;
    }

    /** Any value, as long as there is one. */
    static final TextMatcher PRESENT = new TextMatcher(TextMatcher.Type.REGEX, "(?s).*", false,
            java.util.regex.Pattern.compile("(?s).*"));

    private RouteAction action(Resource<VirtualService> resource, VirtualService.HttpRoute http) {
        if (http.redirect() != null) {
            VirtualService.HttpRedirect redirect = http.redirect();
            return new RouteAction.Redirect(redirect.uri(), redirect.authority(), redirect.port(), redirect.scheme(),
                    redirect.redirectCode() == null ? 301 : redirect.redirectCode());
        }
        List<WeightedCluster> destinations = new ArrayList<>();
        boolean single = http.route().size() == 1;
        for (VirtualService.HttpRouteDestination destination : http.route()) {
            VirtualService.Destination target = destination.destination();
            String host = HostNames.qualify(target.host(), resource.namespace(), options.domainSuffix());
            MeshService targetService = services.get(host);
            Integer port = target.port() == null ? null : target.port().number();
            Map<Integer, Cluster> byPort = targetService == null ? Map.of() : clustersOf(targetService, target.subset());
            int weight = destination.weight() != null ? destination.weight() : single ? 100 : 0;
            VirtualService.Headers headers = destination.headers();
            destinations.add(new WeightedCluster(byPort, port, weight, HeaderOps.of(headers == null ? null : headers.request()),
                    HeaderOps.of(headers == null ? null : headers.response())));
        }
        VirtualService.HttpRewrite rewrite = http.rewrite();
        return new RouteAction.Forward(destinations, rewrite == null ? null : rewrite.uri(),
                rewrite == null ? null : rewrite.authority());
    }

    /** Istio's mirror: resolved like a route destination; a missing percentage means every request. */
    private Mirror mirror(Resource<VirtualService> resource, VirtualService.HttpRoute http) {
        VirtualService.Destination target = http.mirror();
        if (target == null || target.host() == null) {
            return null;
        }
        String host = HostNames.qualify(target.host(), resource.namespace(), options.domainSuffix());
        MeshService service = services.get(host);
        Map<Integer, Cluster> byPort = service == null ? Map.of() : clustersOf(service, target.subset());
        Percent percent = http.mirrorPercentage();
        return new Mirror(host, byPort, target.port() == null ? null : target.port().number(),
                percent == null || percent.value() == null ? 100.0 : percent.value());
    }

    private static Route.RetryPolicy retries(VirtualService.HttpRetry retry) {
        if (retry == null) {
            return null;
        }
        List<String> on = retry.retryOn() == null ? List.of()
                : Arrays.stream(retry.retryOn().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new Route.RetryPolicy(retry.attempts() == null ? 0 : retry.attempts(),
                retry.perTryTimeout() == null ? null : retry.perTryTimeout().value(), on);
    }

    /** The clusters the routes built so far send to, by name. */
    Map<String, Cluster> clusters() {
        return clusters;
    }

    static String origin(Resource<?> resource) {
        return resource.kind().kindName() + " " + resource.namespace() + "/" + resource.name();
    }

    /** One cluster per port of the service, for a subset or for all its endpoints. */
    private Map<Integer, Cluster> clustersOf(MeshService service, String subsetName) {
        Resource<DestinationRule> rule = destinationRuleFor(service);
        DestinationRule.Subset subset = null;
        if (subsetName != null && rule != null) {
            subset = rule.spec().subsets().stream().filter(s -> subsetName.equals(s.name())).findFirst().orElse(null);
        }
        DestinationRule.TrafficPolicy rulePolicy = rule == null ? null : rule.spec().trafficPolicy();
        DestinationRule.TrafficPolicy subsetPolicy = subset == null ? null : subset.trafficPolicy();
        Map<String, String> subsetLabels = subset == null ? Map.of() : subset.labels();
        boolean unknownSubset = subsetName != null && subset == null;
        Map<Integer, Cluster> out = new TreeMap<>();
        for (ServiceEntry.ServicePort port : service.ports()) {
            // Istio's precedence: the subset's policy (its port-level settings first) over the rule's (the same).
            DestinationRule.TrafficPolicy policy = merge(rulePolicy == null ? null : rulePolicy.forPort(port.number()),
                    subsetPolicy == null ? null : subsetPolicy.forPort(port.number()));
            String name = Cluster.name(port.number(), subsetName, service.host());
            boolean external = service.location() == ServiceEntry.Location.MESH_EXTERNAL;
            Cluster cluster = clusters.computeIfAbsent(name, n -> {
                List<Endpoint> endpoints = new ArrayList<>();
                if (!unknownSubset) {
                    for (ServiceEndpoint endpoint : service.endpoints()) {
                        if (endpoint.labels().entrySet().containsAll(subsetLabels.entrySet())) {
                            endpoints.add(endpoint(endpoint, port, external));
                        }
                    }
                }
                Set<String> identities = new java.util.TreeSet<>();
                endpoints.stream().filter(e -> e.identity() != null).forEach(e -> identities.add(e.identity()));
                return new Cluster(n, service.host(), port.number(), subsetName, endpoints, loadBalancing(policy),
                        peerTls(policy), identities,
                        PoolSettingsTranslator.translate(policy == null ? null : policy.connectionPool()),
                        OutlierSettingsTranslator.translate(policy == null ? null : policy.outlierDetection()),
                        clientTls(policy));
            });
            out.put(port.number(), cluster);
        }
        return out;
    }

    /** @param external outside the mesh: the instance has no mesh identity */
    private Endpoint endpoint(ServiceEndpoint endpoint, ServiceEntry.ServicePort port, boolean external) {
        Integer appPort = port.name() == null ? null : endpoint.ports().get(port.name());
        if (appPort == null) {
            appPort = port.targetPort() != null ? port.targetPort() : port.number();
        }
        return new Endpoint(endpoint.address(), appPort, endpoint.sidecarPort(),
                external ? null : endpoint.spiffeId(options.trustDomain()),
                endpoint.labels(), endpoint.isHealthy());
    }

    /** Istio's lookup: the proxy's namespace, then the service's, then the root namespace. */
    private Resource<DestinationRule> destinationRuleFor(MeshService service) {
        Resource<DestinationRule> best = null;
        int bestRank = Integer.MAX_VALUE;
        for (Resource<DestinationRule> rule : rulesByHost.getOrDefault(service.host(), List.of())) {
            int rank = rank(rule, service);
            if (rank < bestRank) {
                best = rule;
                bestRank = rank;
            }
        }
        for (Map.Entry<String, List<Resource<DestinationRule>>> wildcard : wildcardRules.entrySet()) {
            if (!HostNames.matches(wildcard.getKey(), service.host())) {
                continue;
            }
            for (Resource<DestinationRule> rule : wildcard.getValue()) {
                int rank = rank(rule, service) + 4; // an exact host beats a wildcard
                if (rank < bestRank) {
                    best = rule;
                    bestRank = rank;
                }
            }
        }
        return best;
    }

    /** Istio's lookup order: the proxy's namespace, then the service's, then the root namespace, then any other. */
    private int rank(Resource<DestinationRule> rule, MeshService service) {
        return rule.namespace().equals(self.namespace()) ? 0 : rule.namespace().equals(service.namespace()) ? 1
                : rule.namespace().equals(options.rootNamespace()) ? 2 : 3;
    }

    private static DestinationRule.TrafficPolicy merge(DestinationRule.TrafficPolicy rule, DestinationRule.TrafficPolicy subset) {
        if (subset == null) {
            return rule;
        }
        if (rule == null) {
            return subset;
        }
        return new DestinationRule.TrafficPolicy(
                subset.loadBalancer() != null ? subset.loadBalancer() : rule.loadBalancer(),
                subset.connectionPool() != null ? subset.connectionPool() : rule.connectionPool(),
                subset.outlierDetection() != null ? subset.outlierDetection() : rule.outlierDetection(),
                subset.tls() != null ? subset.tls() : rule.tls());
    }

    private static LoadBalancing loadBalancing(DestinationRule.TrafficPolicy policy) {
        if (policy == null || policy.loadBalancer() == null) {
            return LoadBalancing.DEFAULT;
        }
        DestinationRule.ConsistentHashLb hash = policy.loadBalancer().consistentHash();
        if (hash != null) {
            LoadBalancing.HashKey key;
            if (hash.httpHeaderName() != null) {
                key = new LoadBalancing.HashKey(LoadBalancing.HashKey.Source.HEADER, hash.httpHeaderName().toLowerCase(Locale.ROOT));
            } else if (hash.httpCookie() != null) {
                key = new LoadBalancing.HashKey(LoadBalancing.HashKey.Source.COOKIE, hash.httpCookie().name());
            } else if (hash.httpQueryParameterName() != null) {
                key = new LoadBalancing.HashKey(LoadBalancing.HashKey.Source.QUERY_PARAMETER, hash.httpQueryParameterName());
            } else {
                key = new LoadBalancing.HashKey(LoadBalancing.HashKey.Source.SOURCE_IP, null);
            }
            return new LoadBalancing(LoadBalancing.Policy.CONSISTENT_HASH, key);
        }
        DestinationRule.SimpleLb simple = policy.loadBalancer().simple();
        if (simple == null) {
            return LoadBalancing.DEFAULT;
        }
        return switch (simple) {
            case LEAST_CONN, LEAST_REQUEST -> new LoadBalancing(LoadBalancing.Policy.LEAST_REQUEST, null);
            case RANDOM -> new LoadBalancing(LoadBalancing.Policy.RANDOM, null);
            default -> LoadBalancing.DEFAULT;
        };
    }

    private static ClientTls clientTls(DestinationRule.TrafficPolicy policy) {
        if (policy == null || policy.tls() == null || policy.tls().mode() == null) {
            return null;
        }
        DestinationRule.ClientTlsSettings tls = policy.tls();
        if (tls.mode() == DestinationRule.ClientTlsMode.DISABLE
                || tls.mode() == DestinationRule.ClientTlsMode.ISTIO_MUTUAL && tls.sni() == null) {
            return null; // the mode says it all
        }
        return new ClientTls(tls.mode().name(), tls.sni(), tls.subjectAltNames(), tls.caCertificates(), tls.credentialName(),
                Boolean.TRUE.equals(tls.insecureSkipVerify()));
    }

    private static Cluster.PeerTls peerTls(DestinationRule.TrafficPolicy policy) {
        if (policy == null || policy.tls() == null || policy.tls().mode() == null) {
            return Cluster.PeerTls.AUTO;
        }
        return Cluster.PeerTls.valueOf(policy.tls().mode().name());
    }

    static String durationText(java.time.Duration duration) {
        return duration == null ? null : IstioDuration.of(duration).text();
    }
}
