package dev.gatemesh.api.validate;

import dev.gatemesh.api.host.Names;
import dev.gatemesh.api.host.HostNames;
import dev.gatemesh.api.model.IstioDuration;
import dev.gatemesh.api.model.Percent;
import dev.gatemesh.api.model.StringMatch;
import dev.gatemesh.api.problem.FieldPath;
import dev.gatemesh.api.problem.ProblemCode;
import dev.gatemesh.api.problem.ResourceProblems;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The field-level rules the validators share, each reporting into one resource's problems. */
final class Checks {

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
    private static final Pattern PRINCIPAL = Pattern.compile("[^/*\\s]+/ns/[^/*\\s]+/sa/[^/*\\s]+");
    private static final Duration ONE_MS = Duration.ofMillis(1);
    /** Java regex features that RE2 (Istio, Envoy) lacks: lookaround, backreferences, atomic groups, possessives. */
    private static final Pattern NOT_RE2 = Pattern.compile("\\(\\?<?[=!]|\\(\\?>|\\\\[1-9]|\\\\k<|[*+?}]\\+");

    private final ResourceProblems problems;

    Checks(ResourceProblems problems) {
        this.problems = problems;
    }

    ResourceProblems problems() {
        return problems;
    }

    boolean required(String path, Object value, String what) {
        boolean missing = value == null || (value instanceof String s && s.isEmpty())
                || (value instanceof List<?> l && l.isEmpty()) || (value instanceof Map<?, ?> m && m.isEmpty());
        if (missing) {
            problems.error(ProblemCode.MISSING_FIELD, path, what + " is required");
        }
        return !missing;
    }

    void port(String path, Integer port) {
        if (port != null && (port < 1 || port > 65535)) {
            problems.error(ProblemCode.INVALID_PORT, path, "port must be between 1 and 65535 (got " + port + ")");
        }
    }

    void percentage(String path, Percent percent) {
        if (percent != null && percent.value() != null && (percent.value() < 0 || percent.value() > 100)) {
            problems.error(ProblemCode.INVALID_PERCENTAGE, path + ".value",
                    "percentage must be between 0 and 100 (got " + trim(percent.value()) + ")");
        }
    }

    void percentInt(String path, Integer value) {
        if (value != null && (value < 0 || value > 100)) {
            problems.error(ProblemCode.INVALID_PERCENTAGE, path, "percentage must be between 0 and 100 (got " + value + ")");
        }
    }

    void nonNegative(String path, Integer value) {
        if (value != null && value < 0) {
            problems.error(ProblemCode.INVALID_VALUE, path, "must be zero or more (got " + value + ")");
        }
    }

    void positive(String path, Integer value) {
        if (value != null && value < 1) {
            problems.error(ProblemCode.INVALID_VALUE, path, "must be 1 or more (got " + value + ")");
        }
    }

    /** Istio's rule: at least 1ms and no finer than milliseconds. */
    void duration(String path, IstioDuration duration) {
        if (duration == null) {
            return;
        }
        if (duration.value().compareTo(ONE_MS) < 0) {
            problems.error(ProblemCode.INVALID_DURATION, path, "duration must be at least 1ms (got " + duration + ")");
        } else if (duration.value().toNanos() % 1_000_000 != 0) {
            problems.error(ProblemCode.INVALID_DURATION, path,
                    "duration must be a whole number of milliseconds (got " + duration + ")");
        }
    }

    void regex(String path, String regex) {
        if (regex == null) {
            return;
        }
        try {
            Pattern.compile(regex);
            if (NOT_RE2.matcher(regex).find()) {
                problems.warn(ProblemCode.INVALID_REGEX, path, "\"" + regex + "\" uses lookaround, backreferences,"
                        + " atomic groups or possessive quantifiers: Gatemesh runs it, but Istio's RE2 would reject it");
            }
        } catch (PatternSyntaxException e) {
            problems.error(ProblemCode.INVALID_REGEX, path, "invalid regular expression \"" + regex + "\": "
                    + e.getDescription() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
    }

    /** A StringMatch: exactly one of exact/prefix/regex, or none where presence is enough. */
    void stringMatch(String path, StringMatch match, boolean emptyMeansPresence) {
        if (match == null) {
            return;
        }
        if (match.setCount() > 1) {
            problems.error(ProblemCode.ONE_OF, path, "set only one of exact, prefix and regex");
        } else if (match.isEmpty() && !emptyMeansPresence) {
            problems.error(ProblemCode.ONE_OF, path, "set one of exact, prefix and regex");
        }
        regex(FieldPath.field(path, "regex"), match.regex());
    }

    void ipOrCidr(String path, String value) {
        if (value != null && !IpAddresses.isIpOrCidr(value)) {
            problems.error(ProblemCode.INVALID_CIDR, path,
                    "\"" + value + "\" is not an IP address or CIDR block (such as 10.0.0.0/8 or 2001:db8::/32)");
        }
    }

    void ipOrCidrs(String path, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            ipOrCidr(FieldPath.index(path, i), values.get(i));
        }
    }

    /** {@code <trust-domain>/ns/<namespace>/sa/<service-account>}, {@code *}, or a * wildcard at either end. */
    void principal(String path, String value) {
        if (value == null) {
            return;
        }
        if (value.startsWith("spiffe://")) {
            problems.error(ProblemCode.INVALID_PRINCIPAL, path, "principal \"" + value
                    + "\" must not start with spiffe://; write " + value.substring("spiffe://".length()));
            return;
        }
        if (!wildcardOnlyAtEnds(value) || (!value.contains("*") && !PRINCIPAL.matcher(value).matches())) {
            problems.error(ProblemCode.INVALID_PRINCIPAL, path, "principal \"" + value
                    + "\" must have the form <trust-domain>/ns/<namespace>/sa/<service-account> (for example"
                    + " cluster.local/ns/default/sa/bookinfo-productpage), or use * at its start or end");
        }
    }

    void principals(String path, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            principal(FieldPath.index(path, i), values.get(i));
        }
    }

    /** A namespace name, {@code *}, or a * wildcard at either end. */
    void namespacePattern(String path, String value) {
        if (!wildcardOnlyAtEnds(value) || (!value.contains("*") && !Names.isDnsLabel(value))) {
            problems.error(ProblemCode.INVALID_NAME, path, "\"" + value + "\" is not a namespace name or pattern");
        }
    }

    void nonEmptyPatterns(String path, List<String> values, String what) {
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value.isEmpty() || !wildcardOnlyAtEnds(value)) {
                problems.error(ProblemCode.INVALID_VALUE, FieldPath.index(path, i), what + " \"" + value
                        + "\" must be non-empty, with * only at its start or end");
            }
        }
    }

    static boolean wildcardOnlyAtEnds(String value) {
        int star = value.indexOf('*');
        if (star < 0 || value.equals("*")) {
            return true;
        }
        return value.indexOf('*', star + 1) < 0 && (star == 0 || star == value.length() - 1);
    }

    void labels(String path, Map<String, String> labels) {
        labels.forEach((key, value) -> {
            String at = FieldPath.field(path, key);
            if (!Names.isLabelKey(key)) {
                problems.error(ProblemCode.INVALID_LABEL, at, "\"" + key + "\" is not a valid label key");
            } else if (!Names.isLabelValue(value)) {
                problems.error(ProblemCode.INVALID_LABEL, at, "\"" + value + "\" is not a valid label value"
                        + " (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)");
            }
        });
    }

    void headerName(String path, String name) {
        if (name == null || !TOKEN.matcher(name).matches()) {
            problems.error(ProblemCode.INVALID_HEADER, path, "\"" + name + "\" is not a valid HTTP header name");
        }
    }

    /** Header names of a match, where Istio also accepts {@code @request.auth.claims.<claim>} at gateways. */
    void matchHeaderNames(String path, Map<String, ?> headers) {
        for (String name : headers.keySet()) {
            if (!name.startsWith("@request.auth.claims.")) {
                headerName(FieldPath.field(path, name), name);
            }
        }
    }

    void headerNames(String path, Iterable<String> names) {
        for (String name : names) {
            headerName(FieldPath.field(path, name), name);
        }
    }

    void method(String path, String method) {
        if (method != null && !TOKEN.matcher(method).matches()) {
            problems.error(ProblemCode.INVALID_METHOD, path, "\"" + method + "\" is not a valid HTTP method");
        }
    }

    void methods(String path, List<String> methods) {
        for (int i = 0; i < methods.size(); i++) {
            method(FieldPath.index(path, i), methods.get(i));
        }
    }

    void host(String path, String host, boolean wildcard) {
        if (host != null && !HostNames.isValid(host, wildcard)) {
            problems.error(ProblemCode.INVALID_HOST, path, "\"" + host + "\" is not a valid host name"
                    + (wildcard ? " (lower-case DNS labels; * only as the whole first label, as in *.example.com)"
                    : " (lower-case DNS labels, no wildcard)"));
        }
    }

    /** exportTo: {@code .} (this namespace), {@code *} (all), or namespace names. */
    void exportTo(String path, List<String> exportTo) {
        for (int i = 0; i < exportTo.size(); i++) {
            String value = exportTo.get(i);
            if (!value.equals(".") && !value.equals("*") && !Names.isDnsLabel(value)) {
                problems.error(ProblemCode.INVALID_NAME, FieldPath.index(path, i),
                        "exportTo entries are \".\", \"*\" or a namespace name (got \"" + value + "\")");
            }
        }
        if (exportTo.contains("*") && exportTo.size() > 1) {
            problems.error(ProblemCode.INVALID_VALUE, path, "\"*\" exports to every namespace; list nothing else with it");
        }
    }

    /** Names that must be unique within a list. */
    void uniqueNames(String path, List<String> names, String what) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name != null && !seen.add(name)) {
                problems.error(ProblemCode.DUPLICATE_NAME, FieldPath.index(path, i), what + " \"" + name
                        + "\" is used more than once");
            }
        }
    }

    static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
