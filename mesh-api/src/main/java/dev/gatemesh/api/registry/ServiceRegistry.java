package dev.gatemesh.api.registry;

import java.util.Comparator;
import java.util.List;

/** All services, sorted by host (so everything built from it is deterministic). */
public record ServiceRegistry(List<MeshService> services) {

    public static final ServiceRegistry EMPTY = new ServiceRegistry(List.of());

    public ServiceRegistry {
        services = services.stream().sorted(Comparator.comparing(MeshService::host).thenComparing(MeshService::namespace))
                .toList();
    }
}
