package dev.gatemesh.api.model;

import java.util.List;
import java.util.Map;

/**
 * What the analyzer needs of a Kubernetes Service found among the manifests: it declares the host
 * {@code <name>.<namespace>.svc.<domain>} with these ports, backed by pods matching {@code selector}.
 */
public record KubernetesService(Map<String, String> selector, List<Port> ports) {

    public KubernetesService {
        selector = Immutable.map(selector);
        ports = Immutable.list(ports);
    }

    public record Port(String name, Integer port, String protocol) {
    }
}
