package dev.gatemesh.meshctl.local;

import java.util.List;

/**
 * What {@code meshctl local up} will start from a folder: the proxies, the manifests it generates for
 * gateways the folder selects but does not declare, and the problems that stop it from starting.
 *
 * @param generatedManifests YAML for the gateways' WorkloadEntries, or empty
 * @param errors             one line each, as {@code meshctl analyze} prints them
 */
public record LocalPlan(List<LocalComponent> components, String generatedManifests, List<String> errors) {

    public LocalPlan {
        components = List.copyOf(components);
        errors = List.copyOf(errors);
    }

    public boolean startable() {
        return errors.isEmpty();
    }
}
