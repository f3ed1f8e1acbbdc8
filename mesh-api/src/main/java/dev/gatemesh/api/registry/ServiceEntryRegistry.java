package dev.gatemesh.api.registry;

import dev.gatemesh.api.host.HostNames;
import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.ServiceEntry;
import dev.gatemesh.api.model.WorkloadEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds the registry Istio's way for workloads outside Kubernetes: every ServiceEntry host is a
 * service; its instances are its inline {@code endpoints}, or the WorkloadEntries of its namespace
 * that its {@code workloadSelector} matches. In local mode a WorkloadEntry's sidecar listens on the
 * port its {@code sidecar.gatemesh.dev/inboundPort} annotation names.
 */
public final class ServiceEntryRegistry {

    private ServiceEntryRegistry() {
    }

    public static ServiceRegistry build(List<Resource<?>> resources, LoadOptions options) {
        Map<String, List<Resource<WorkloadEntry>>> workloadsByNamespace = resources.stream()
                .filter(r -> r.kind() == Kind.WORKLOAD_ENTRY)
                .map(r -> r.as(WorkloadEntry.class))
                .collect(Collectors.groupingBy(Resource::namespace));
        List<MeshService> services = new ArrayList<>();
        for (Resource<?> resource : resources) {
            if (resource.kind() != Kind.SERVICE_ENTRY) {
                continue;
            }
            ServiceEntry entry = resource.as(ServiceEntry.class).spec();
            List<ServiceEndpoint> endpoints = endpoints(resource.namespace(), entry,
                    workloadsByNamespace.getOrDefault(resource.namespace(), List.of()));
            ServiceEntry.Location location = entry.location() == null ? ServiceEntry.Location.MESH_EXTERNAL : entry.location();
            ServiceEntry.Resolution resolution = entry.resolution() == null ? ServiceEntry.Resolution.NONE : entry.resolution();
            for (String host : entry.hosts()) {
                services.add(new MeshService(HostNames.qualify(host, resource.namespace(), options.domainSuffix()),
                        resource.namespace(), resource.name(), entry.ports(), location, resolution,
                        endpoints.isEmpty() && entry.workloadSelector() == null && location == ServiceEntry.Location.MESH_EXTERNAL
                                ? List.of(externalEndpoint(host, resolution, resource.namespace())) : endpoints,
                        entry.exportTo()));
            }
        }
        return new ServiceRegistry(services);
    }

    /**
     * The instance of an external host declared without endpoints: the host itself, resolved by DNS when connecting
     * (DNS), or whatever host the request names (NONE: Istio's original destination; {@link
     * ServiceEndpoint#ORIGINAL_DESTINATION}). It has no sidecar and no mesh identity.
     */
    private static ServiceEndpoint externalEndpoint(String host, ServiceEntry.Resolution resolution, String namespace) {
        boolean byName = resolution == ServiceEntry.Resolution.DNS || resolution == ServiceEntry.Resolution.DNS_ROUND_ROBIN;
        return new ServiceEndpoint(byName && !host.startsWith("*") ? host : ServiceEndpoint.ORIGINAL_DESTINATION, Map.of(),
                Map.of(), namespace, null, null, true);
    }

    private static List<ServiceEndpoint> endpoints(String namespace, ServiceEntry entry,
                                                   List<Resource<WorkloadEntry>> workloadsOfNamespace) {
        List<ServiceEndpoint> out = new ArrayList<>();
        for (WorkloadEntry endpoint : entry.endpoints()) {
            out.add(new ServiceEndpoint(endpoint.address(), endpoint.ports(), endpoint.labels(), namespace,
                    endpoint.serviceAccount(), null, true));
        }
        if (entry.workloadSelector() != null) {
            for (Resource<WorkloadEntry> workload : workloadsOfNamespace) {
                WorkloadEntry spec = workload.spec();
                if (spec.labels().entrySet().containsAll(entry.workloadSelector().labels().entrySet())) {
                    out.add(new ServiceEndpoint(spec.address(), spec.ports(), spec.labels(), namespace,
                            spec.serviceAccount(), sidecarPort(workload), true));
                }
            }
        }
        out.sort(Comparator.comparing(ServiceEndpoint::address).thenComparing(e -> String.valueOf(e.sidecarPort()))
                .thenComparing(e -> e.ports().toString()));
        return out;
    }

    private static Integer sidecarPort(Resource<WorkloadEntry> workload) {
        String value = workload.metadata().annotations().get(WorkloadEntry.INBOUND_PORT_ANNOTATION);
        return value == null ? null : Integer.valueOf(value.trim());
    }
}
