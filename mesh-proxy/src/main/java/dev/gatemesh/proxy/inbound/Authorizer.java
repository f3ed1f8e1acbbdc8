package dev.gatemesh.proxy.inbound;

import dev.gatemesh.api.model.AuthorizationPolicy;
import dev.gatemesh.api.model.AuthorizationPolicy.Action;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.snapshot.ProxySnapshot;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * AuthorizationPolicy with Istio's semantics for the policies that apply to this workload: a DENY
 * policy that matches denies; then, if any ALLOW policy exists, the request must match one of them;
 * otherwise it is allowed. AUDIT policies never decide (CUSTOM is rejected at validation). A rule
 * matches when every part it sets matches; within a part each field is an OR of its values and the
 * {@code not} fields must not match. A condition Gatemesh cannot evaluate (an unknown {@code when}
 * key, request principals before JWT support) fails closed: it never lets an ALLOW rule match and
 * always lets a DENY rule match.
 */
public final class Authorizer {

    /** The decision, with the policy that made it and a sentence for the 403 body and the log. */
    public record Decision(boolean allowed, String policy, String reason) {
    }

    private final List<Resource<AuthorizationPolicy>> deny;
    private final List<Resource<AuthorizationPolicy>> allow;

    private Authorizer(List<Resource<AuthorizationPolicy>> deny, List<Resource<AuthorizationPolicy>> allow) {
        this.deny = List.copyOf(deny);
        this.allow = List.copyOf(allow);
    }

    /** The policies of the snapshot (already only those that apply to this workload). */
    public static Authorizer of(ProxySnapshot snapshot) {
        List<Resource<AuthorizationPolicy>> deny = new ArrayList<>();
        List<Resource<AuthorizationPolicy>> allow = new ArrayList<>();
        for (Resource<AuthorizationPolicy> policy : snapshot.<AuthorizationPolicy>ofKind(Kind.AUTHORIZATION_POLICY)) {
            Action action = policy.spec().effectiveAction();
            if (action == Action.DENY) {
                deny.add(policy);
            } else if (action == Action.ALLOW) {
                allow.add(policy);
            }
        }
        return new Authorizer(deny, allow);
    }

    /**
     * Decides for a request whose path apps may read in other ways ({@code otherReadings}: BASE normalization keeps
     * {@code //admin}, {@code /%2Fadmin} and {@code /;/admin}, which many apps read as {@code /admin}): it is allowed
     * only when every reading is.
     *
     * @param otherReadings the other paths; empty when there is one reading
     */
    public Decision decide(InboundRequest request, java.util.List<String> otherReadings) {
        Decision decision = decide(request);
        if (!decision.allowed()) {
            return decision;
        }
        for (String reading : otherReadings) {
            Decision other = decide(request.withPath(reading));
            if (!other.allowed()) {
                return new Decision(false, other.policy(), other.reason() + " (the path " + request.path() + " is read as "
                        + reading + " by some apps)");
            }
        }
        return decision;
    }

    public Decision decide(InboundRequest request) {
        for (Resource<AuthorizationPolicy> policy : deny) {
            if (anyRuleMatches(policy.spec(), request, true)) {
                String name = policy.namespace() + "/" + policy.name();
                return new Decision(false, name, "RBAC: access denied by AuthorizationPolicy " + name);
            }
        }
        if (allow.isEmpty()) {
            return new Decision(true, null, "no ALLOW policy applies");
        }
        for (Resource<AuthorizationPolicy> policy : allow) {
            if (anyRuleMatches(policy.spec(), request, false)) {
                return new Decision(true, policy.namespace() + "/" + policy.name(), "allowed");
            }
        }
        List<String> names = allow.stream().map(p -> p.namespace() + "/" + p.name()).toList();
        return new Decision(false, String.join(", ", names), "RBAC: access denied: no rule of AuthorizationPolicy "
                + String.join(", ", names) + " allows it");
    }

    private static boolean anyRuleMatches(AuthorizationPolicy policy, InboundRequest request, boolean denying) {
        for (AuthorizationPolicy.Rule rule : policy.rules()) {
            if (ruleMatches(rule, request, denying)) {
                return true;
            }
        }
        return false;
    }

    private static boolean ruleMatches(AuthorizationPolicy.Rule rule, InboundRequest request, boolean denying) {
        if (rule == null) {
            return true;
        }
        if (!rule.from().isEmpty() && rule.from().stream().noneMatch(f -> sourceMatches(f.source(), request, denying))) {
            return false;
        }
        if (!rule.to().isEmpty() && rule.to().stream().noneMatch(t -> operationMatches(t.operation(), request))) {
            return false;
        }
        for (AuthorizationPolicy.Condition condition : rule.when()) {
            if (!conditionMatches(condition, request, denying)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sourceMatches(AuthorizationPolicy.Source source, InboundRequest request, boolean denying) {
        if (source == null) {
            return true;
        }
        return field(source.requestPrincipals(), source.notRequestPrincipals(), request.requestPrincipal(),
                Authorizer::istioMatch) && field(source.principals(), source.notPrincipals(), request.peerPrincipal(), Authorizer::istioMatch)
                && field(source.namespaces(), source.notNamespaces(), request.peerNamespace(), Authorizer::istioMatch)
                && field(source.ipBlocks(), source.notIpBlocks(), request.sourceIp(), Authorizer::inBlock);
    }

    private static boolean operationMatches(AuthorizationPolicy.Operation operation, InboundRequest request) {
        if (operation == null) {
            return true;
        }
        String host = request.host() == null ? null : request.host().toLowerCase(Locale.ROOT);
        return field(operation.hosts(), operation.notHosts(), host, (pattern, value) -> istioMatch(pattern.toLowerCase(Locale.ROOT), value))
                && field(operation.ports(), operation.notPorts(), String.valueOf(request.port()), String::equals)
                && field(operation.methods(), operation.notMethods(), request.method(), Authorizer::istioMatch)
                && field(operation.paths(), operation.notPaths(), request.path(), Authorizer::istioMatch);
    }

    private static boolean conditionMatches(AuthorizationPolicy.Condition condition, InboundRequest request, boolean denying) {
        String key = condition.key();
        String value;
        if (key.startsWith("request.headers[") && key.endsWith("]")) {
            value = request.headers().apply(key.substring("request.headers[".length(), key.length() - 1));
        } else if (key.startsWith("request.auth.claims[") && key.endsWith("]")) {
            // [groups] or nested [a][b]; a list claim matches when any of its elements does
            List<String> path = List.of(key.substring("request.auth.claims[".length(), key.length() - 1).split("\\]\\["));
            return multiValued(condition, dev.gatemesh.proxy.authn.RequestAuthenticator.claimValues(request.claims(), path));
        } else if (key.equals("request.auth.audiences") || key.equals("request.auth.presenter")) {
            return multiValued(condition, dev.gatemesh.proxy.authn.RequestAuthenticator.claimValues(request.claims(),
                    List.of(key.equals("request.auth.audiences") ? "aud" : "azp")));
        } else {
            switch (key) {
                case "source.ip", "remote.ip" -> value = request.sourceIp();
                case "source.namespace" -> value = request.peerNamespace();
                case "source.principal" -> value = request.peerPrincipal();
                case "request.auth.principal" -> value = request.requestPrincipal();
                case "destination.port" -> value = String.valueOf(request.port());
                default -> {
                    return denying; // a key Gatemesh cannot evaluate: fail closed
                }
            }
        }
        boolean ip = key.equals("source.ip") || key.equals("remote.ip");
        return field(condition.values(), condition.notValues(), value, ip ? Authorizer::inBlock : Authorizer::istioMatch);
    }

    /** For a claim with several values: some value matches (when values are given), none matches a not-value. */
    private static boolean multiValued(AuthorizationPolicy.Condition condition, List<String> actual) {
        if (!condition.values().isEmpty() && actual.stream().noneMatch(v -> condition.values().stream()
                .anyMatch(pattern -> istioMatch(pattern, v)))) {
            return false;
        }
        return actual.stream().noneMatch(v -> condition.notValues().stream().anyMatch(pattern -> istioMatch(pattern, v)));
    }

    /** Some value matches (when any are given) and no not-value matches. */
    private static boolean field(List<String> values, List<String> notValues, String actual,
                                 java.util.function.BiPredicate<String, String> matcher) {
        if (!values.isEmpty() && (actual == null || values.stream().noneMatch(v -> matcher.test(v, actual)))) {
            return false;
        }
        return actual == null || notValues.stream().noneMatch(v -> matcher.test(v, actual));
    }

    /** Istio's string match: exact, {@code prefix*}, {@code *suffix}, or {@code *} for any non-empty value. */
    static boolean istioMatch(String pattern, String value) {
        if (value == null) {
            return false;
        }
        if (pattern.equals("*")) {
            return !value.isEmpty();
        }
        if (pattern.endsWith("*")) {
            return value.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        if (pattern.startsWith("*")) {
            return value.endsWith(pattern.substring(1));
        }
        return pattern.equals(value);
    }

    /** Whether an address is in a CIDR block (or equals a single address). */
    static boolean inBlock(String block, String address) {
        try {
            String network = block.contains("/") ? block.substring(0, block.indexOf('/')) : block;
            byte[] net = InetAddress.getByName(network).getAddress();
            byte[] addr = InetAddress.getByName(address).getAddress();
            if (net.length != addr.length) {
                return false;
            }
            int bits = block.contains("/") ? Integer.parseInt(block.substring(block.indexOf('/') + 1)) : net.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(net.length * 8).subtract(BigInteger.ONE)
                    .shiftRight(bits).not();
            return new BigInteger(1, net).and(mask).equals(new BigInteger(1, addr).and(mask));
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }
}
