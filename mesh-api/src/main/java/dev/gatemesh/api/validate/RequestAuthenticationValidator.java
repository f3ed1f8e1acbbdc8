package dev.gatemesh.api.validate;

import static dev.gatemesh.api.problem.FieldPath.field;
import static dev.gatemesh.api.problem.FieldPath.index;

import dev.gatemesh.api.model.RequestAuthentication;
import dev.gatemesh.api.model.RequestAuthentication.JwtRule;
import dev.gatemesh.api.problem.ProblemCode;
import java.net.URI;
import java.net.URISyntaxException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Checks one RequestAuthentication: every JWT rule must be usable exactly as written. */
final class RequestAuthenticationValidator {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RequestAuthenticationValidator() {
    }

    static void validate(RequestAuthentication ra, Checks checks) {
        if (ra.selector() != null) {
            checks.labels("spec.selector.matchLabels", ra.selector().matchLabels());
        }
        for (int i = 0; i < ra.jwtRules().size(); i++) {
            rule(checks, index("spec.jwtRules", i), ra.jwtRules().get(i));
        }
    }

    private static void rule(Checks checks, String path, JwtRule rule) {
        checks.required(field(path, "issuer"), rule.issuer(), "issuer");
        if (rule.jwksUri() != null && rule.jwks() != null) {
            checks.problems().error(ProblemCode.ONE_OF, field(path, "jwks"), "set either jwksUri or jwks, not both");
        }
        if (rule.jwksUri() != null) {
            jwksUri(checks, field(path, "jwksUri"), rule.jwksUri());
        }
        if (rule.jwks() != null) {
            jwks(checks, field(path, "jwks"), rule.jwks());
        }
        for (int i = 0; i < rule.audiences().size(); i++) {
            checks.required(index(field(path, "audiences"), i), rule.audiences().get(i), "audience");
        }
        for (int i = 0; i < rule.fromHeaders().size(); i++) {
            String at = index(field(path, "fromHeaders"), i);
            if (checks.required(field(at, "name"), rule.fromHeaders().get(i).name(), "header name")) {
                checks.headerName(field(at, "name"), rule.fromHeaders().get(i).name());
            }
        }
        for (int i = 0; i < rule.fromParams().size(); i++) {
            checks.required(index(field(path, "fromParams"), i), rule.fromParams().get(i), "parameter name");
        }
        for (int i = 0; i < rule.outputClaimToHeaders().size(); i++) {
            String at = index(field(path, "outputClaimToHeaders"), i);
            var mapping = rule.outputClaimToHeaders().get(i);
            if (checks.required(field(at, "header"), mapping.header(), "header")) {
                checks.headerName(field(at, "header"), mapping.header());
            }
            checks.required(field(at, "claim"), mapping.claim(), "claim");
        }
        checks.duration(field(path, "timeout"), rule.timeout());
    }

    private static void jwksUri(Checks checks, String path, String value) {
        try {
            URI uri = new URI(value);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                checks.problems().error(ProblemCode.INVALID_VALUE, path,
                        "jwksUri must be an http or https URL (got \"" + value + "\")");
            }
        } catch (URISyntaxException e) {
            checks.problems().error(ProblemCode.INVALID_VALUE, path, "jwksUri \"" + value + "\" is not a URL: " + e.getReason());
        }
    }

    private static void jwks(Checks checks, String path, String value) {
        try {
            JsonNode keys = JSON.readTree(value).get("keys");
            if (keys == null || !keys.isArray() || keys.isEmpty()) {
                checks.problems().error(ProblemCode.INVALID_VALUE, path,
                        "jwks must be a JSON Web Key Set: an object with a non-empty \"keys\" array");
            }
        } catch (JacksonException e) {
            checks.problems().error(ProblemCode.INVALID_VALUE, path, "jwks is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
