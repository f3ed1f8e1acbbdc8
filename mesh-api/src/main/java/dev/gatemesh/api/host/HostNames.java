package dev.gatemesh.api.host;


/**
 * Istio's host-name rules. A short name (no dot) is qualified by the namespace of the resource
 * that wrote it: {@code reviews} in {@code default} is {@code reviews.default.svc.cluster.local}. A
 * name with a dot is taken as written. {@code *.example.com} matches any name below example.com.
 */
public final class HostNames {

    private HostNames() {
    }

    public static String qualify(String host, String namespace, String domainSuffix) {
        if (host == null || host.equals("*") || host.contains(".")) {
            return host;
        }
        return host + "." + namespace + ".svc." + domainSuffix;
    }

    /** Whether {@code pattern} (possibly a wildcard) covers {@code host} (possibly a wildcard itself). */
    public static boolean matches(String pattern, String host) {
        if (pattern.equals("*") || pattern.equals(host)) {
            return true;
        }
        if (pattern.startsWith("*")) {
            String suffix = pattern.substring(1);
            return host.endsWith(suffix) && host.length() > suffix.length();
        }
        return false;
    }

    /** A DNS name, with {@code *} allowed as the whole first label when {@code wildcard} is true. */
    public static boolean isValid(String host, boolean wildcard) {
        if (host == null || host.isEmpty() || host.length() > 255) {
            return false;
        }
        if (host.equals("*")) {
            return wildcard;
        }
        String rest = host;
        if (host.startsWith("*.")) {
            if (!wildcard) {
                return false;
            }
            rest = host.substring(2);
        }
        for (String label : rest.split("\\.", -1)) {
            if (!Names.isDnsLabel(label)) {
                return false;
            }
        }
        return true;
    }
}
