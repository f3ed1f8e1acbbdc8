package dev.gatemesh.api.model;

import java.util.List;
import java.util.Map;

/** Istio's ServiceEntry: a service in the registry, inside the mesh (local mode) or outside it (egress). */
public record ServiceEntry(List<String> hosts, List<String> addresses, List<ServicePort> ports, Location location,
                           Resolution resolution, List<WorkloadEntry> endpoints, Selector workloadSelector,
                           List<String> exportTo, List<String> subjectAltNames) {

    public ServiceEntry {
        hosts = Immutable.list(hosts);
        addresses = Immutable.list(addresses);
        ports = Immutable.list(ports);
        endpoints = Immutable.list(endpoints);
        exportTo = Immutable.list(exportTo);
        subjectAltNames = Immutable.list(subjectAltNames);
    }

    public record ServicePort(Integer number, String protocol, String name, Integer targetPort) {
    }

    /** The networking selector, keyed {@code labels} (not {@code matchLabels} as in the security kinds). */
    public record Selector(Map<String, String> labels) {
        public Selector {
            labels = Immutable.map(labels);
        }
    }

    public enum Location { MESH_EXTERNAL, MESH_INTERNAL }

    public enum Resolution { NONE, STATIC, DNS, DNS_ROUND_ROBIN }
}
