package dev.gatemesh.api.analyze;

import dev.gatemesh.api.host.HostNames;
import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.model.DestinationRule;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.KubernetesWorkload;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.ServiceEntry;
import dev.gatemesh.api.model.WorkloadEntry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the cross-resource checks look things up in: declared hosts, DestinationRules, gateways, workloads. */
final class MeshIndex {

    /** A workload: its namespace and labels. */
    record Workload(String namespace, Map<String, String> labels) {
    }

    private final LoadOptions options;
    private final List<Resource<?>> resources;
    private final List<String> serviceHosts = new ArrayList<>();
    private final List<Resource<DestinationRule>> destinationRules = new ArrayList<>();
    private final Set<String> gateways = new LinkedHashSet<>();
    private final List<Workload> workloads = new ArrayList<>();

    MeshIndex(List<Resource<?>> resources, LoadOptions options) {
        this.options = options;
        this.resources = List.copyOf(resources);
        for (Resource<?> resource : resources) {
            switch (resource.kind()) {
                case SERVICE_ENTRY -> resource.as(ServiceEntry.class).spec().hosts()
                        .forEach(host -> serviceHosts.add(qualify(host, resource.namespace())));
                case KUBERNETES_SERVICE -> serviceHosts.add(qualify(resource.name(), resource.namespace()));
                case DESTINATION_RULE -> destinationRules.add(resource.as(DestinationRule.class));
                case GATEWAY -> gateways.add(resource.namespace() + "/" + resource.name());
                case WORKLOAD_ENTRY -> workloads.add(new Workload(resource.namespace(),
                        resource.as(WorkloadEntry.class).spec().labels()));
                case KUBERNETES_WORKLOAD -> workloads.add(new Workload(resource.namespace(),
                        resource.as(KubernetesWorkload.class).spec().labels()));
                default -> { }
            }
        }
    }

    LoadOptions options() {
        return options;
    }

    String qualify(String host, String namespace) {
        return HostNames.qualify(host, namespace, options.domainSuffix());
    }

    @SuppressWarnings("unchecked")
    <T> List<Resource<T>> ofKind(Kind kind) {
        return resources.stream().filter(r -> r.kind() == kind).map(r -> (Resource<T>) r).toList();
    }

    boolean isDeclaredHost(String qualifiedHost) {
        return serviceHosts.stream().anyMatch(declared -> HostNames.matches(declared, qualifiedHost));
    }

    /** DestinationRules whose host covers the given (qualified) host. */
    List<Resource<DestinationRule>> destinationRulesFor(String qualifiedHost) {
        return destinationRules.stream()
                .filter(dr -> HostNames.matches(qualify(dr.spec().host(), dr.namespace()), qualifiedHost))
                .toList();
    }

    boolean hasGateway(String namespacedName) {
        return gateways.contains(namespacedName);
    }

    /** Workloads a policy in {@code namespace} can select: all of them for the root namespace. */
    List<Workload> workloadsInScopeOf(String namespace) {
        if (namespace.equals(options.rootNamespace())) {
            return List.copyOf(workloads);
        }
        return workloads.stream().filter(w -> w.namespace().equals(namespace)).toList();
    }
}
