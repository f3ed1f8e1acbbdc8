package dev.gatemesh.api.snapshot;

import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.registry.MeshService;
import java.util.Comparator;
import java.util.List;

/** Builds a proxy's snapshot from the mesh's configuration: a pure function, same input same bytes. */
public final class SnapshotBuilder {

    static final Comparator<Resource<?>> RESOURCE_ORDER = Comparator.comparing((Resource<?> r) -> r.kind().ordinal())
            .thenComparing(Resource::namespace)
            .thenComparing(Resource::name);

    private SnapshotBuilder() {
    }

    public static ProxySnapshot build(MeshConfig config, ProxyNode.ProxyClass proxy) {
        return buildEncoded(config, proxy).snapshot();
    }

    /** The snapshot and its wire form, serialized once (what the control plane sends). */
    public static SnapshotCodec.Encoded buildEncoded(MeshConfig config, ProxyNode.ProxyClass proxy) {
        ProxyScope scope = new ProxyScope(proxy, config.resources(), config.options().rootNamespace());
        List<MeshService> services = config.registry().services().stream().filter(scope::includes).toList();
        List<Resource<?>> resources = config.resources().stream().filter(scope::includes).sorted(RESOURCE_ORDER).toList();
        return SnapshotCodec.withVersion(services, resources);
    }
}
