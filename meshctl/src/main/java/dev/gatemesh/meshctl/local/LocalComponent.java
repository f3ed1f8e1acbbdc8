package dev.gatemesh.meshctl.local;

import dev.gatemesh.api.snapshot.ProxyRole;
import java.util.List;
import java.util.Map;

/**
 * One proxy of a local mesh, as the folder declares it: a sidecar for a WorkloadEntry on 127.0.0.1, or
 * a gateway selected by a Gateway.
 *
 * @param name         the proxy's id (its WorkloadEntry's name)
 * @param inboundPort  a sidecar's inbound listener, or 0
 * @param outboundPort a sidecar's outbound listener, or 0
 * @param appPorts     a sidecar's application ports
 * @param ports        every port it will listen on, with why (checked before anything starts)
 * @param generated    a gateway whose WorkloadEntry local mode provides (the folder declares none)
 */
public record LocalComponent(String name, ProxyRole role, String namespace, String serviceAccount,
                             Map<String, String> labels, int inboundPort, int outboundPort, List<Integer> appPorts,
                             List<PortUse> ports, boolean generated) {

    public LocalComponent {
        labels = Map.copyOf(labels);
        appPorts = List.copyOf(appPorts);
        ports = List.copyOf(ports);
    }

    /** A port a component will listen on, and where the folder says so. */
    public record PortUse(int port, String component, String purpose, String declaredAt) {

        String describe() {
            return purpose + " of " + component + (declaredAt == null ? "" : ", declared at " + declaredAt);
        }
    }

    /** The same, with declarations named relative to the folder. */
    LocalComponent withPortsDeclaredIn(String folderPrefix) {
        List<PortUse> relative = ports.stream().map(use -> new PortUse(use.port(), use.component(), use.purpose(),
                use.declaredAt() == null ? null : use.declaredAt().replace(folderPrefix, ""))).toList();
        return new LocalComponent(name, role, namespace, serviceAccount, labels, inboundPort, outboundPort, appPorts, relative,
                generated);
    }

    public String claim() {
        return namespace + "/" + name;
    }

    public String identity(String trustDomain) {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + (serviceAccount == null ? "default" : serviceAccount);
    }
}
