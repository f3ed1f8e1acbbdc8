package dev.gatemesh.api.validate;

import dev.gatemesh.api.host.Names;
import static dev.gatemesh.api.problem.FieldPath.field;
import static dev.gatemesh.api.problem.FieldPath.index;

import dev.gatemesh.api.model.ServiceEntry;
import dev.gatemesh.api.model.ServiceEntry.Resolution;
import dev.gatemesh.api.model.ServiceEntry.ServicePort;
import dev.gatemesh.api.model.WorkloadEntry;
import dev.gatemesh.api.problem.ProblemCode;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** Checks one ServiceEntry: hosts, addresses, ports, resolution and endpoints. */
final class ServiceEntryValidator {

    static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "MONGO", "TCP", "TLS",
            "UDP", "MYSQL", "REDIS");

    private ServiceEntryValidator() {
    }

    static void validate(ServiceEntry entry, Checks checks) {
        if (checks.required("spec.hosts", entry.hosts(), "at least one host")) {
            for (int i = 0; i < entry.hosts().size(); i++) {
                checks.host(index("spec.hosts", i), entry.hosts().get(i), true);
            }
        }
        checks.ipOrCidrs("spec.addresses", entry.addresses());
        checks.uniqueNames("spec.ports", entry.ports().stream().map(ServicePort::name).toList(), "port name");
        for (int i = 0; i < entry.ports().size(); i++) {
            String path = index("spec.ports", i);
            ServicePort port = entry.ports().get(i);
            if (checks.required(field(path, "number"), port.number(), "port number")) {
                checks.port(field(path, "number"), port.number());
            }
            if (checks.required(field(path, "name"), port.name(), "port name") && !Names.isDnsLabel(port.name())) {
                checks.problems().error(ProblemCode.INVALID_NAME, field(path, "name"), "\"" + port.name()
                        + "\" is not a valid port name (lower-case letters, digits and '-')");
            }
            checks.port(field(path, "targetPort"), port.targetPort());
            if (port.protocol() != null && !PROTOCOLS.contains(port.protocol().toUpperCase(Locale.ROOT))) {
                checks.problems().error(ProblemCode.INVALID_ENUM, field(path, "protocol"), "\"" + port.protocol()
                        + "\" is not one of " + String.join(", ", PROTOCOLS.stream().sorted().toList()));
            }
        }
        boolean hasEndpoints = !entry.endpoints().isEmpty();
        if (hasEndpoints && entry.workloadSelector() != null) {
            checks.problems().error(ProblemCode.ONE_OF, "spec.workloadSelector",
                    "set either endpoints or workloadSelector, not both");
        }
        if (entry.resolution() == Resolution.STATIC && !hasEndpoints && entry.workloadSelector() == null) {
            checks.problems().error(ProblemCode.MISSING_FIELD, "spec.endpoints",
                    "STATIC resolution needs endpoints or a workloadSelector");
        }
        if (entry.workloadSelector() != null) {
            checks.labels("spec.workloadSelector.labels", entry.workloadSelector().labels());
        }
        if ((entry.resolution() == Resolution.DNS || entry.resolution() == Resolution.DNS_ROUND_ROBIN) && !hasEndpoints) {
            for (int i = 0; i < entry.hosts().size(); i++) {
                if (entry.hosts().get(i).startsWith("*")) {
                    checks.problems().error(ProblemCode.INVALID_HOST, index("spec.hosts", i), "the wildcard host \""
                            + entry.hosts().get(i) + "\" cannot be resolved by DNS; give endpoints or use resolution NONE");
                }
            }
        }
        for (int i = 0; i < entry.endpoints().size(); i++) {
            String path = index("spec.endpoints", i);
            WorkloadEntry endpoint = entry.endpoints().get(i);
            WorkloadEntryValidator.validateEntry(endpoint, checks, path, entry.resolution() == Resolution.STATIC);
            endpoint.ports().keySet().stream()
                    .filter(name -> entry.ports().stream().map(ServicePort::name).noneMatch(n -> Objects.equals(n, name)))
                    .forEach(name -> checks.problems().error(ProblemCode.INVALID_VALUE, field(field(path, "ports"), name),
                            "the port name \"" + name + "\" is not one of the ServiceEntry's ports"));
        }
        checks.exportTo("spec.exportTo", entry.exportTo());
    }
}
