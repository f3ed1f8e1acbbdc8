package dev.gatemesh.api.validate;

import dev.gatemesh.api.host.Names;
import static dev.gatemesh.api.problem.FieldPath.field;

import dev.gatemesh.api.host.HostNames;
import dev.gatemesh.api.model.ObjectMeta;
import dev.gatemesh.api.model.WorkloadEntry;
import dev.gatemesh.api.problem.ProblemCode;
import java.util.Map;

/** Checks a WorkloadEntry (or a ServiceEntry endpoint) and Gatemesh's local-mode annotations. */
final class WorkloadEntryValidator {

    private WorkloadEntryValidator() {
    }

    static void validate(WorkloadEntry entry, ObjectMeta metadata, Checks checks) {
        validateEntry(entry, checks, "spec", false);
        Integer inbound = annotationPort(checks, metadata, WorkloadEntry.INBOUND_PORT_ANNOTATION);
        Integer outbound = annotationPort(checks, metadata, WorkloadEntry.OUTBOUND_PORT_ANNOTATION);
        if (inbound != null && inbound.equals(outbound)) {
            checks.problems().error(ProblemCode.INVALID_PORT, annotationPath(WorkloadEntry.OUTBOUND_PORT_ANNOTATION),
                    "the sidecar's inbound and outbound ports must differ (both are " + inbound + ")");
        }
        for (Map.Entry<String, Integer> port : entry.ports().entrySet()) {
            if (port.getValue().equals(inbound) || port.getValue().equals(outbound)) {
                checks.problems().error(ProblemCode.INVALID_PORT, field("spec.ports", port.getKey()), "port "
                        + port.getValue() + " is the application's and cannot also be a sidecar listener");
            }
        }
    }

    static void validateEntry(WorkloadEntry entry, Checks checks, String path, boolean requireIp) {
        String address = entry.address();
        if (checks.required(field(path, "address"), address, "address")) {
            boolean unixSocket = address.startsWith("unix://");
            boolean ip = IpAddresses.isIp(address);
            if (requireIp && !ip && !unixSocket) {
                checks.problems().error(ProblemCode.INVALID_VALUE, field(path, "address"),
                        "\"" + address + "\" must be an IP address for STATIC resolution");
            } else if (!ip && !unixSocket && !HostNames.isValid(address, false)) {
                checks.problems().error(ProblemCode.INVALID_VALUE, field(path, "address"),
                        "\"" + address + "\" is not an IP address, host name or unix:// socket");
            }
        }
        entry.ports().forEach((name, port) -> checks.port(field(field(path, "ports"), name), port));
        checks.labels(field(path, "labels"), entry.labels());
        if (entry.serviceAccount() != null && !Names.isDnsSubdomain(entry.serviceAccount())) {
            checks.problems().error(ProblemCode.INVALID_NAME, field(path, "serviceAccount"),
                    "\"" + entry.serviceAccount() + "\" is not a valid service account name");
        }
    }

    private static Integer annotationPort(Checks checks, ObjectMeta metadata, String annotation) {
        String value = metadata.annotations().get(annotation);
        if (value == null) {
            return null;
        }
        try {
            int port = Integer.parseInt(value.trim());
            checks.port(annotationPath(annotation), port);
            return port;
        } catch (NumberFormatException e) {
            checks.problems().error(ProblemCode.INVALID_PORT, annotationPath(annotation),
                    "expected a port number, got \"" + value + "\"");
            return null;
        }
    }

    private static String annotationPath(String annotation) {
        return field("metadata.annotations", annotation);
    }
}
