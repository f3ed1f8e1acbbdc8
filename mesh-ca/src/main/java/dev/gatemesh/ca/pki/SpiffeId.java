package dev.gatemesh.ca.pki;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * A workload identity: {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}, the only
 * form Gatemesh issues (as Istio does).
 */
public record SpiffeId(String trustDomain, String namespace, String serviceAccount) {

    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9._-]*[a-z0-9])?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
    private static final Pattern FORM = Pattern.compile("spiffe://([^/]+)/ns/([^/]+)/sa/([^/]+)");

    public SpiffeId {
        if (trustDomain == null || !TRUST_DOMAIN.matcher(trustDomain).matches() || trustDomain.length() > 255) {
            throw new IllegalArgumentException("\"" + trustDomain + "\" is not a valid trust domain");
        }
        if (namespace == null || !NAME.matcher(namespace).matches() || namespace.length() > 63) {
            throw new IllegalArgumentException("\"" + namespace + "\" is not a valid namespace");
        }
        if (serviceAccount == null || !NAME.matcher(serviceAccount).matches() || serviceAccount.length() > 253) {
            throw new IllegalArgumentException("\"" + serviceAccount + "\" is not a valid service account");
        }
    }

    /** Parses the exact form; anything else (query, fragment, other paths) is refused. */
    public static SpiffeId parse(String uri) {
        var m = FORM.matcher(uri == null ? "" : uri);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + uri + "\" is not of the form spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>");
        }
        return new SpiffeId(m.group(1), m.group(2), m.group(3));
    }

    public URI toUri() {
        return URI.create(toString());
    }

    @Override
    public String toString() {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }
}
