package dev.gatemesh.server.status;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.snapshot.SnapshotCodec;
import dev.gatemesh.server.push.ProxyHub;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The snapshot a proxy runs with, as plain data for the actuator: the wire form itself (so that a
 * reader such as {@code meshctl proxy-config} decodes and translates it exactly as the proxy did)
 * and the mesh settings it was built with.
 */
final class ProxySnapshots {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProxySnapshots() {
    }

    /**
     * {@code inForce}: whether {@code snapshot} is the one the proxy acknowledged (false: the last one sent,
     * not acknowledged yet or refused); {@code snapshot} is null when nothing was sent yet.
     */
    static Map<String, Object> describe(ProxyHub.InForce inForce, LoadOptions options) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("inForce", inForce.acknowledged());
        Map<String, Object> mesh = new LinkedHashMap<>();
        mesh.put("rootNamespace", options.rootNamespace());
        mesh.put("trustDomain", options.trustDomain());
        mesh.put("domainSuffix", options.domainSuffix());
        out.put("mesh", mesh);
        out.put("snapshot", inForce.snapshot() == null ? null
                : JSON.readValue(SnapshotCodec.encode(inForce.snapshot()), new TypeReference<Map<String, Object>>() {
                }));
        return out;
    }
}
