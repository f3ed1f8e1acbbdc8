package dev.gatemesh.api.validate;

import static dev.gatemesh.api.problem.FieldPath.field;
import static dev.gatemesh.api.problem.FieldPath.index;

import dev.gatemesh.api.model.AuthorizationPolicy;
import dev.gatemesh.api.model.AuthorizationPolicy.Action;
import dev.gatemesh.api.model.AuthorizationPolicy.Condition;
import dev.gatemesh.api.model.AuthorizationPolicy.Operation;
import dev.gatemesh.api.model.AuthorizationPolicy.Rule;
import dev.gatemesh.api.model.AuthorizationPolicy.Source;
import dev.gatemesh.api.problem.ProblemCode;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks one AuthorizationPolicy. Anything Gatemesh could not enforce exactly is an error. */
final class AuthorizationPolicyValidator {

    static final Set<String> CONDITION_KEYS = Set.of("source.ip", "remote.ip", "source.namespace", "source.principal",
            "request.auth.principal", "request.auth.audiences", "request.auth.presenter", "destination.ip",
            "destination.port", "connection.sni");
    private static final Pattern BRACKETED_KEY = Pattern.compile("(request\\.headers|request\\.auth\\.claims)\\[[^\\[\\]]+](\\[[^\\[\\]]+])*");

    private AuthorizationPolicyValidator() {
    }

    static void validate(AuthorizationPolicy policy, Checks checks) {
        if (policy.action() == Action.CUSTOM) {
            checks.problems().error(ProblemCode.UNSUPPORTED_FIELD, "spec.action",
                    "the CUSTOM action (external authorization) is not supported by Gatemesh; the policy is rejected"
                            + " rather than left unenforced");
        }
        if (policy.selector() != null) {
            checks.labels("spec.selector.matchLabels", policy.selector().matchLabels());
        }
        for (int i = 0; i < policy.rules().size(); i++) {
            rule(checks, index("spec.rules", i), policy.rules().get(i));
        }
    }

    private static void rule(Checks checks, String path, Rule rule) {
        for (int i = 0; i < rule.from().size(); i++) {
            String at = field(index(field(path, "from"), i), "source");
            Source source = rule.from().get(i).source();
            if (checks.required(at, source, "source")) {
                source(checks, at, source);
            }
        }
        for (int i = 0; i < rule.to().size(); i++) {
            String at = field(index(field(path, "to"), i), "operation");
            Operation operation = rule.to().get(i).operation();
            if (checks.required(at, operation, "operation")) {
                operation(checks, at, operation);
            }
        }
        for (int i = 0; i < rule.when().size(); i++) {
            condition(checks, index(field(path, "when"), i), rule.when().get(i));
        }
    }

    private static void source(Checks checks, String path, Source source) {
        if (allEmpty(source.principals(), source.notPrincipals(), source.requestPrincipals(),
                source.notRequestPrincipals(), source.namespaces(), source.notNamespaces(), source.ipBlocks(),
                source.notIpBlocks())) {
            checks.problems().error(ProblemCode.MISSING_FIELD, path, "a source must set at least one field");
        }
        checks.principals(field(path, "principals"), source.principals());
        checks.principals(field(path, "notPrincipals"), source.notPrincipals());
        checks.nonEmptyPatterns(field(path, "requestPrincipals"), source.requestPrincipals(), "request principal");
        checks.nonEmptyPatterns(field(path, "notRequestPrincipals"), source.notRequestPrincipals(), "request principal");
        for (int i = 0; i < source.namespaces().size(); i++) {
            checks.namespacePattern(index(field(path, "namespaces"), i), source.namespaces().get(i));
        }
        for (int i = 0; i < source.notNamespaces().size(); i++) {
            checks.namespacePattern(index(field(path, "notNamespaces"), i), source.notNamespaces().get(i));
        }
        checks.ipOrCidrs(field(path, "ipBlocks"), source.ipBlocks());
        checks.ipOrCidrs(field(path, "notIpBlocks"), source.notIpBlocks());
    }

    private static void operation(Checks checks, String path, Operation operation) {
        if (allEmpty(operation.hosts(), operation.notHosts(), operation.ports(), operation.notPorts(),
                operation.methods(), operation.notMethods(), operation.paths(), operation.notPaths())) {
            checks.problems().error(ProblemCode.MISSING_FIELD, path, "an operation must set at least one field");
        }
        checks.nonEmptyPatterns(field(path, "hosts"), operation.hosts(), "host");
        checks.nonEmptyPatterns(field(path, "notHosts"), operation.notHosts(), "host");
        ports(checks, field(path, "ports"), operation.ports());
        ports(checks, field(path, "notPorts"), operation.notPorts());
        checks.methods(field(path, "methods"), operation.methods().stream().filter(m -> !m.equals("*")).toList());
        checks.methods(field(path, "notMethods"), operation.notMethods().stream().filter(m -> !m.equals("*")).toList());
        paths(checks, field(path, "paths"), operation.paths());
        paths(checks, field(path, "notPaths"), operation.notPaths());
    }

    private static void ports(Checks checks, String path, List<String> ports) {
        for (int i = 0; i < ports.size(); i++) {
            String value = ports.get(i);
            try {
                checks.port(index(path, i), Integer.parseInt(value));
            } catch (NumberFormatException e) {
                checks.problems().error(ProblemCode.INVALID_PORT, index(path, i),
                        "\"" + value + "\" is not a port number");
            }
        }
    }

    /** Paths: exact, {@code *}, a * at either end, or templates with {@code {*}}/{@code {**}} segments. */
    private static void paths(Checks checks, String path, List<String> paths) {
        for (int i = 0; i < paths.size(); i++) {
            String value = paths.get(i);
            boolean template = value.contains("{");
            boolean valid = template
                    ? value.startsWith("/") && value.replace("{**}", "").replace("{*}", "").chars().noneMatch(c -> c == '{' || c == '}' || c == '*')
                    : !value.isEmpty() && Checks.wildcardOnlyAtEnds(value) && (value.startsWith("/") || value.startsWith("*"));
            if (!valid) {
                checks.problems().error(ProblemCode.INVALID_VALUE, index(path, i), "path \"" + value
                        + "\" must start with / (or *), with * only at its start or end, or use {*} / {**} segments");
            }
        }
    }

    private static void condition(Checks checks, String path, Condition condition) {
        String key = condition.key();
        if (checks.required(field(path, "key"), key, "key")
                && !CONDITION_KEYS.contains(key) && !BRACKETED_KEY.matcher(key).matches()) {
            checks.problems().error(ProblemCode.INVALID_CONDITION_KEY, field(path, "key"), "unknown condition key \"" + key
                    + "\"; use one of " + String.join(", ", CONDITION_KEYS.stream().sorted().toList())
                    + ", request.headers[<name>] or request.auth.claims[<claim>]");
            return;
        }
        if (condition.values().isEmpty() && condition.notValues().isEmpty()) {
            checks.problems().error(ProblemCode.MISSING_FIELD, path, "a condition needs values or notValues");
        }
        if (key == null) {
            return;
        }
        for (String list : List.of("values", "notValues")) {
            List<String> values = list.equals("values") ? condition.values() : condition.notValues();
            switch (key) {
                case "source.ip", "remote.ip", "destination.ip" -> checks.ipOrCidrs(field(path, list), values);
                case "destination.port" -> ports(checks, field(path, list), values);
                case "source.principal" -> checks.principals(field(path, list), values);
                case "source.namespace" -> {
                    for (int i = 0; i < values.size(); i++) {
                        checks.namespacePattern(index(field(path, list), i), values.get(i));
                    }
                }
                default -> { }
            }
        }
    }

    @SafeVarargs
    private static boolean allEmpty(List<String>... lists) {
        for (List<String> list : lists) {
            if (!list.isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
