package dev.gatemesh.server.push;

import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.registry.MeshService;
import dev.gatemesh.api.snapshot.MeshConfig;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What changed between two configurations: each resource and service added, removed or modified,
 * with its old and new version. A class of proxy is affected when any of them is in its scope
 * before or after the change; only affected classes get their snapshot rebuilt.
 */
record ConfigDiff(MeshConfig before, MeshConfig after, List<Resource<?>> resources, List<MeshService> services) {

    static ConfigDiff between(MeshConfig before, MeshConfig after) {
        return new ConfigDiff(before, after, changed(keyed(before.resources()), keyed(after.resources())),
                changed(services(before), services(after)));
    }

    boolean isEmpty() {
        return resources.isEmpty() && services.isEmpty();
    }

    boolean affects(ProxyNode.ProxyClass proxy) {
        String root = after.options().rootNamespace();
        ProxyScope old = new ProxyScope(proxy, before.resources(), before.options().rootNamespace());
        ProxyScope now = new ProxyScope(proxy, after.resources(), root);
        return resources.stream().anyMatch(r -> old.includes(r) || now.includes(r))
                || services.stream().anyMatch(s -> old.includes(s) || now.includes(s));
    }

    private static Map<String, Resource<?>> keyed(List<Resource<?>> resources) {
        Map<String, Resource<?>> out = new HashMap<>();
        resources.forEach(r -> out.put(r.kind() + "/" + r.namespace() + "/" + r.name(), r));
        return out;
    }

    private static Map<String, MeshService> services(MeshConfig config) {
        Map<String, MeshService> out = new HashMap<>();
        config.registry().services().forEach(s -> out.put(s.namespace() + "/" + s.host(), s));
        return out;
    }

    private static <T> List<T> changed(Map<String, T> before, Map<String, T> after) {
        List<T> out = new ArrayList<>();
        Set<String> keys = new HashSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            T old = before.get(key);
            T now = after.get(key);
            if (!Objects.equals(old, now)) {
                if (old != null) {
                    out.add(old);
                }
                if (now != null) {
                    out.add(now);
                }
            }
        }
        return out;
    }
}
