package dev.gatemesh.api.snapshot;

import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.registry.MeshService;
import java.util.List;

/**
 * What one proxy is configured with: the services it can reach and the resources that apply to it,
 * in a deterministic order. The version is a hash of the content: same content, same version.
 */
public record ProxySnapshot(String version, List<MeshService> services, List<Resource<?>> resources) {

    public ProxySnapshot {
        services = List.copyOf(services);
        resources = List.copyOf(resources);
    }

    @SuppressWarnings("unchecked")
    public <T> List<Resource<T>> ofKind(Kind kind) {
        return resources.stream().filter(r -> r.kind() == kind).map(r -> (Resource<T>) r).toList();
    }
}
