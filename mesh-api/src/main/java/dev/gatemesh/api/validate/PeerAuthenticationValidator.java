package dev.gatemesh.api.validate;

import static dev.gatemesh.api.problem.FieldPath.field;

import dev.gatemesh.api.model.PeerAuthentication;
import dev.gatemesh.api.problem.ProblemCode;

/** Checks one PeerAuthentication. */
final class PeerAuthenticationValidator {

    private PeerAuthenticationValidator() {
    }

    static void validate(PeerAuthentication pa, Checks checks) {
        if (pa.selector() != null) {
            checks.labels("spec.selector.matchLabels", pa.selector().matchLabels());
        }
        if (!pa.portLevelMtls().isEmpty()) {
            if (pa.selector() == null || pa.selector().matchLabels().isEmpty()) {
                checks.problems().error(ProblemCode.MISSING_FIELD, "spec.selector",
                        "portLevelMtls applies to the ports of selected workloads only; add a selector with matchLabels");
            }
            pa.portLevelMtls().forEach((port, mtls) -> {
                String path = field("spec.portLevelMtls", port.toString());
                checks.port(path, port);
                checks.required(field(path, "mode"), mtls.mode(), "mode");
            });
        }
    }
}
