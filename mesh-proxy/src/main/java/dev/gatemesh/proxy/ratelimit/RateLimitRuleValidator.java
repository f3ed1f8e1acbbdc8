package dev.gatemesh.proxy.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks one rule's values and reports every problem as {@code property-path: message}, the path relative to the
 * rule ({@code requests-per-unit: must be > 0, was -1}) so that callers can prefix where the rule came from.
 */
public final class RateLimitRuleValidator {

    /** Caps no real limit needs, which keep Bucket4j's nanosecond arithmetic (rate × elapsed time) far from overflow. */
    public static final long MAX_RATE = 1_000_000;
    public static final long MAX_BURST = 1_000_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?", Pattern.CASE_INSENSITIVE);

    private RateLimitRuleValidator() {
    }

    public static List<String> validate(String name, List<String> hosts, String pathPrefix, RateLimitKey.Source keySource,
                                        String keyName, Long requestsPerUnit, RateLimitRule.Unit unit, Long burst,
                                        RateLimitRule.Backend backend) {
        List<String> problems = new ArrayList<>();
        if (name == null || name.isBlank()) {
            problems.add("name: must not be blank");
        } else if (!NAME.matcher(name).matches()) {
            problems.add("name: must contain only letters, digits, '.', '_' and '-', was '" + name + "'");
        }
        if (hosts != null) {
            for (int i = 0; i < hosts.size(); i++) {
                String host = hosts.get(i);
                if (!validHostPattern(host)) {
                    problems.add("hosts[" + i + "]: must be a host name, *.domain or *, was '" + host + "'");
                }
            }
        }
        if (pathPrefix != null && !pathPrefix.startsWith("/")) {
            problems.add("path-prefix: must start with '/', was '" + pathPrefix + "'");
        }
        if (keySource == null) {
            problems.add("key.source: must be set (CLIENT_IP, HEADER or CLAIM)");
        } else if (keySource != RateLimitKey.Source.CLIENT_IP && (keyName == null || keyName.isBlank())) {
            problems.add("key.name: must not be blank for " + keySource);
        }
        checkRange(problems, "requests-per-unit", requestsPerUnit, MAX_RATE);
        if (unit == null) {
            problems.add("unit: must be set (SECOND, MINUTE or HOUR)");
        }
        checkRange(problems, "burst", burst, MAX_BURST);
        if (backend == null) {
            problems.add("backend: must be set (LOCAL or REDIS)");
        }
        return problems;
    }

    private static void checkRange(List<String> problems, String path, Long value, long max) {
        if (value == null) {
            problems.add(path + ": must be set");
        } else if (value <= 0) {
            problems.add(path + ": must be > 0, was " + value);
        } else if (value > max) {
            problems.add(path + ": must be at most " + max + ", was " + value);
        }
    }

    private static boolean validHostPattern(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        if (host.equals("*")) {
            return true;
        }
        String domain = host.startsWith("*.") ? host.substring(2) : host;
        for (String label : domain.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }
}
