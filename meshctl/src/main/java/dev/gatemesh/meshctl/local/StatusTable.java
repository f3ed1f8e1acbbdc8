package dev.gatemesh.meshctl.local;

import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.ca.identity.ControlPlaneIdentity;
import dev.gatemesh.meshctl.text.TextTable;
import dev.gatemesh.proxy.runtime.MeshProxy;
import dev.gatemesh.server.push.ProxyStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The table {@code meshctl local up} prints: every component, its identity, where it listens and its state. */
final class StatusTable {

    private StatusTable() {
    }

    static String render(LocalMeshRuntime mesh, String trustDomain, String rootNamespace) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"COMPONENT", "ROLE", "IDENTITY", "LISTENERS", "STATE"});
        rows.add(new String[] {LocalLogging.CONFIG_SERVER, "CONTROL_PLANE",
                ControlPlaneIdentity.of(trustDomain, rootNamespace).toString(),
                "mesh 127.0.0.1:" + mesh.controlPlanePort() + ", management 127.0.0.1:" + mesh.managementPort(), "RUNNING"});
        Map<String, ProxyStatus> statuses = mesh.statuses();
        for (LocalComponent component : mesh.plan().components()) {
            ProxyStatus status = statuses.get(component.name());
            rows.add(new String[] {component.name(), component.role().name(), component.identity(trustDomain),
                    listeners(component, mesh.proxy(component.name())), status == null ? "NOT CONNECTED" : status.state().name()});
        }
        return TextTable.render(rows);
    }

    private static String listeners(LocalComponent component, MeshProxy proxy) {
        if (component.role() == ProxyRole.SIDECAR) {
            return "inbound 127.0.0.1:" + component.inboundPort() + ", outbound 127.0.0.1:" + component.outboundPort() + " -> app "
                    + component.appPorts().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(", "));
        }
        if (proxy == null || proxy.gatewayPorts() == null || proxy.gatewayPorts().openPorts().isEmpty()) {
            return "(no Gateway server selects it yet)";
        }
        List<String> ports = new ArrayList<>();
        proxy.gatewayPorts().openPorts().forEach((port, secure) -> ports.add((secure ? "https" : "http") + " 127.0.0.1:" + port));
        proxy.gatewayPorts().failedPorts().forEach((port, reason) -> ports.add(port + " FAILED: " + reason));
        return String.join(", ", ports);
    }
}
