package dev.gatemesh.api.validate;

import dev.gatemesh.api.host.Names;
import static dev.gatemesh.api.problem.FieldPath.field;
import static dev.gatemesh.api.problem.FieldPath.index;

import dev.gatemesh.api.model.Sidecar;
import dev.gatemesh.api.problem.ProblemCode;

/**
 * Checks one Sidecar: each egress host is {@code namespace/dnsName} as Istio requires, where the namespace is a name,
 * {@code .} (the Sidecar's own), {@code *} (any) or {@code ~} (none), and the name a host that may start with
 * {@code *}; the workload selector's labels are valid.
 */
final class SidecarValidator {

    private SidecarValidator() {
    }

    static void validate(Sidecar sidecar, Checks checks) {
        if (sidecar.workloadSelector() != null) {
            checks.labels("spec.workloadSelector.labels", sidecar.workloadSelector().labels());
        }
        for (int i = 0; i < sidecar.egress().size(); i++) {
            String path = index("spec.egress", i);
            Sidecar.EgressListener listener = sidecar.egress().get(i);
            if (!checks.required(field(path, "hosts"), listener.hosts(), "at least one host (namespace/dnsName)")) {
                continue;
            }
            for (int j = 0; j < listener.hosts().size(); j++) {
                egressHost(checks, index(field(path, "hosts"), j), listener.hosts().get(j));
            }
        }
    }

    private static void egressHost(Checks checks, String path, String value) {
        int slash = value == null ? -1 : value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1) {
            checks.problems().error(ProblemCode.INVALID_HOST, path, "\"" + value + "\" is not of the form namespace/dnsName "
                    + "(for example ./*, istio-system/*, */api.example.com)");
            return;
        }
        String namespace = value.substring(0, slash);
        String host = value.substring(slash + 1);
        if (!namespace.equals(".") && !namespace.equals("*") && !namespace.equals("~") && !Names.isDnsLabel(namespace)) {
            checks.problems().error(ProblemCode.INVALID_NAME, path, "the namespace part of \"" + value
                    + "\" is not \".\", \"*\", \"~\" or a namespace name");
        }
        if (!host.equals("*")) {
            checks.host(path, host, true);
        }
    }
}
