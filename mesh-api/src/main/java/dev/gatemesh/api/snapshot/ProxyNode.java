package dev.gatemesh.api.snapshot;

import dev.gatemesh.api.model.Immutable;
import java.util.Map;

/**
 * Who a proxy is, as it tells the control plane: what decides which configuration it gets.
 *
 * @param id             unique per proxy instance (pod name, or the local-mode workload name)
 * @param labels         the workload's labels (policies and gateways select on them)
 */
public record ProxyNode(String id, ProxyRole role, String namespace, String serviceAccount, Map<String, String> labels) {

    public ProxyNode {
        labels = Immutable.map(labels);
    }

    /** Proxies with the same class get the same snapshot: role, namespace and labels decide the scope. */
    public ProxyClass proxyClass() {
        return new ProxyClass(role, namespace, labels);
    }

    public record ProxyClass(ProxyRole role, String namespace, Map<String, String> labels) {
        public ProxyClass {
            labels = Map.copyOf(labels);
        }
    }
}
