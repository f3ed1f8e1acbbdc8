package dev.gatemesh.api.snapshot;

import dev.gatemesh.api.model.AuthorizationPolicy;
import dev.gatemesh.api.model.DestinationRule;
import dev.gatemesh.api.model.Gateway;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.PeerAuthentication;
import dev.gatemesh.api.model.RequestAuthentication;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.Sidecar;
import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.model.WorkloadSelector;
import dev.gatemesh.api.registry.MeshService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one class of proxy needs, following Istio's scoping: services and DestinationRules exported
 * to its namespace; VirtualServices bound to the mesh (sidecars) or to the Gateways that select it
 * (gateways); the security policies that apply to its workload (root namespace mesh-wide, its own
 * namespace, or a selector matching its labels).
 */
public final class ProxyScope {

    private static final String MESH = "mesh";

    private final ProxyNode.ProxyClass proxy;
    private final String rootNamespace;
    private final Set<String> selectingGateways = new HashSet<>();

    public ProxyScope(ProxyNode.ProxyClass proxy, List<Resource<?>> resources, String rootNamespace) {
        this.proxy = proxy;
        this.rootNamespace = rootNamespace;
        for (Resource<?> resource : resources) {
            if (resource.kind() == Kind.GATEWAY && selects(resource.as(Gateway.class))) {
                selectingGateways.add(resource.namespace() + "/" + resource.name());
            }
        }
    }

    public boolean includes(MeshService service) {
        return service.isVisibleFrom(proxy.namespace());
    }

    public boolean includes(Resource<?> resource) {
        return switch (resource.kind()) {
            case VIRTUAL_SERVICE -> virtualService(resource.as(VirtualService.class));
            case DESTINATION_RULE -> exported(resource.namespace(), resource.as(DestinationRule.class).spec().exportTo());
            case GATEWAY -> selects(resource.as(Gateway.class));
            case PEER_AUTHENTICATION -> applies(resource, resource.as(PeerAuthentication.class).spec().selector());
            case AUTHORIZATION_POLICY -> applies(resource, resource.as(AuthorizationPolicy.class).spec().selector());
            case REQUEST_AUTHENTICATION -> applies(resource, resource.as(RequestAuthentication.class).spec().selector());
            case SIDECAR -> sidecar(resource.as(Sidecar.class));
            case SERVICE_ENTRY, WORKLOAD_ENTRY, KUBERNETES_SERVICE, KUBERNETES_WORKLOAD -> false; // in the registry
        };
    }

    private boolean virtualService(Resource<VirtualService> vs) {
        if (!exported(vs.namespace(), vs.spec().exportTo())) {
            return false;
        }
        List<String> gateways = vs.spec().gateways();
        if (proxy.role() == ProxyRole.SIDECAR) {
            return gateways.isEmpty() || gateways.contains(MESH);
        }
        return gateways.stream().map(g -> g.contains("/") ? g : vs.namespace() + "/" + g)
                .anyMatch(selectingGateways::contains);
    }

    private boolean selects(Resource<Gateway> gateway) {
        var selector = gateway.spec().selector();
        return proxy.role() != ProxyRole.SIDECAR && !selector.isEmpty()
                && proxy.labels().entrySet().containsAll(selector.entrySet());
    }

    private boolean exported(String namespace, List<String> exportTo) {
        return exportTo.isEmpty() || exportTo.contains("*") || exportTo.contains(proxy.namespace())
                || (exportTo.contains(".") && namespace.equals(proxy.namespace()));
    }

    /** A Sidecar of the proxy's namespace that selects it (or selects nothing), or a mesh-wide one of the root namespace. */
    private boolean sidecar(Resource<Sidecar> sidecar) {
        if (proxy.role() != ProxyRole.SIDECAR) {
            return false;
        }
        var selector = sidecar.spec().workloadSelector();
        boolean selectsAll = selector == null || selector.labels().isEmpty();
        if (sidecar.namespace().equals(proxy.namespace())) {
            return selectsAll || proxy.labels().entrySet().containsAll(selector.labels().entrySet());
        }
        return sidecar.namespace().equals(rootNamespace) && selectsAll;
    }

    private boolean applies(Resource<?> policy, WorkloadSelector selector) {
        boolean inScope = policy.namespace().equals(rootNamespace) || policy.namespace().equals(proxy.namespace());
        if (!inScope) {
            return false;
        }
        return selector == null || selector.matchLabels().isEmpty() || selector.matches(proxy.labels());
    }
}
