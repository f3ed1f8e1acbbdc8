package dev.gatemesh.api.registry;

import dev.gatemesh.api.model.Immutable;
import dev.gatemesh.api.model.ServiceEntry;
import dev.gatemesh.api.model.ServiceEntry.ServicePort;
import java.util.List;

/**
 * A service in the registry: its fully qualified host, ports and instances, from a Kubernetes
 * Service with its EndpointSlices and Pods, or from a ServiceEntry with its WorkloadEntries.
 */
public record MeshService(String host, String namespace, String name, List<ServicePort> ports,
                          ServiceEntry.Location location, ServiceEntry.Resolution resolution,
                          List<ServiceEndpoint> endpoints, List<String> exportTo) {

    public MeshService {
        ports = Immutable.list(ports);
        endpoints = Immutable.list(endpoints);
        exportTo = Immutable.list(exportTo);
    }

    /** Whether a proxy in {@code namespace} may see this service (Istio's exportTo: empty means everywhere). */
    public boolean isVisibleFrom(String fromNamespace) {
        return exportTo.isEmpty() || exportTo.contains("*") || exportTo.contains(fromNamespace)
                || (exportTo.contains(".") && namespace.equals(fromNamespace));
    }
}
