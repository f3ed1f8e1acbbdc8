package dev.gatemesh.api.snapshot;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.registry.ServiceRegistry;
import java.util.List;

/**
 * Everything the control plane knows at one moment: the valid resources in force and the service
 * registry. Immutable; a change builds a new one.
 */
public record MeshConfig(List<Resource<?>> resources, ServiceRegistry registry, LoadOptions options) {

    public MeshConfig {
        resources = List.copyOf(resources);
    }

    public static MeshConfig empty(LoadOptions options) {
        return new MeshConfig(List.of(), ServiceRegistry.EMPTY, options);
    }
}
