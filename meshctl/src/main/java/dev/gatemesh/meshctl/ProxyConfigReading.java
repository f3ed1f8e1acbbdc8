package dev.gatemesh.meshctl;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.api.snapshot.ProxySnapshot;
import dev.gatemesh.api.snapshot.SnapshotCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The snapshot a proxy runs with, read from the config server ({@code /actuator/meshproxies/{id}/snapshot})
 * and decoded as the proxy decodes it, with who the proxy is: what {@code meshctl proxy-config} translates
 * with the proxy's own route table builders, so that what it shows is what the proxy does.
 *
 * @param wire the snapshot as the server sent it (plain maps and lists)
 */
record ProxyConfigReading(ProxyNode node, LoadOptions options, ProxySnapshot snapshot, Map<String, Object> wire) {

    @SuppressWarnings("unchecked")
    static ProxyConfigReading read(ConfigServerApi.ServerOption server, String name) throws ConfigServerApi.Failure {
        String base = server.base();
        Map<String, Object> answer = ConfigServerApi.get(server,
                "/actuator/meshproxies/" + ConfigServerApi.pathSegment(name) + "/snapshot",
                "no proxy named \"" + name + "\" is connected to " + base + "; meshctl proxy-status lists the connected ones");
        Object wire = answer.get("snapshot");
        if (!(wire instanceof Map<?, ?>)) {
            throw new ConfigServerApi.Failure("proxy " + name + " is not synced yet: the config server has sent it no"
                    + " configuration (is its source still loading? see /actuator/health/readiness)");
        }
        if (!Boolean.TRUE.equals(answer.get("inForce"))) {
            throw new ConfigServerApi.Failure("proxy " + name + " is not synced yet: it has acknowledged no configuration"
                    + " (state " + answer.get("state") + ", sent " + answer.get("sentVersion")
                    + ("NACKED".equals(answer.get("state")) ? ", refused: " + answer.get("lastNackReason") : "") + ")");
        }
        Map<String, Object> mesh = (Map<String, Object>) answer.getOrDefault("mesh", Map.of());
        LoadOptions defaults = LoadOptions.DEFAULTS;
        LoadOptions options = new LoadOptions(defaults.defaultNamespace(),
                (String) mesh.getOrDefault("rootNamespace", defaults.rootNamespace()),
                (String) mesh.getOrDefault("trustDomain", defaults.trustDomain()),
                (String) mesh.getOrDefault("domainSuffix", defaults.domainSuffix()));
        return decode(answer, (Map<String, Object>) wire, options);
    }

    @SuppressWarnings("unchecked")
    static ProxyConfigReading decode(Map<String, Object> proxy, Map<String, Object> wire, LoadOptions options)
            throws ConfigServerApi.Failure {
        String id = String.valueOf(proxy.get("id"));
        ProxyRole role;
        try {
            role = ProxyRole.valueOf(String.valueOf(proxy.get("role")));
        } catch (IllegalArgumentException e) {
            throw new ConfigServerApi.Failure("proxy " + id + " has a role meshctl does not know: " + proxy.get("role"));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        ((Map<String, Object>) proxy.getOrDefault("labels", Map.of())).forEach((k, v) -> labels.put(k, String.valueOf(v)));
        ProxyNode node = new ProxyNode(id, role, (String) proxy.get("namespace"), (String) proxy.get("serviceAccount"), labels);
        SnapshotCodec.Decoded decoded = SnapshotCodec.decode(wire, options);
        if (!decoded.ok()) {
            List<String> errors = decoded.errors();
            throw new ConfigServerApi.Failure("the snapshot of proxy " + id + " cannot be read: " + errors.get(0)
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
        }
        return new ProxyConfigReading(node, options, decoded.snapshot(), wire);
    }

    boolean isGateway() {
        return node.role() != ProxyRole.SIDECAR;
    }
}
