package dev.gatemesh.ca.identity;

import dev.gatemesh.ca.pki.SpiffeId;

/**
 * The config server's own identity, {@code spiffe://<trust-domain>/ns/<root-namespace>/sa/gatemesh-config-server}:
 * what proxies require of the server they talk to. Only the config server holds it (it signs its own
 * certificate in-process); the CSR endpoint never signs it for anybody.
 */
public final class ControlPlaneIdentity {

    public static final String SERVICE_ACCOUNT = "gatemesh-config-server";

    private ControlPlaneIdentity() {
    }

    public static SpiffeId of(String trustDomain, String rootNamespace) {
        return new SpiffeId(trustDomain, rootNamespace, SERVICE_ACCOUNT);
    }
}
