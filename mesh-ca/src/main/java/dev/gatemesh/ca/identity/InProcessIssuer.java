package dev.gatemesh.ca.identity;

import dev.gatemesh.ca.CertificateAuthority;
import dev.gatemesh.ca.IssuedCertificate;
import dev.gatemesh.ca.pki.CertificateRequests;
import dev.gatemesh.ca.pki.KeyPairs;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.ca.policy.SigningRefused;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * Gets certificates from a CA in this same process, through a real CSR and the CA's signing policy,
 * for an identity the caller already holds by construction (a component of the config server, a test, a
 * benchmark). A fresh key every time; the key never leaves the process.
 */
public final class InProcessIssuer implements WorkloadIdentity.Issuer {

    private final CertificateAuthority ca;
    private final SpiffeId identity;
    private final Duration ttl;
    private final SecureRandom random;

    /** @param ttl the lifetime to ask for, or null for the CA's default */
    public InProcessIssuer(CertificateAuthority ca, SpiffeId identity, Duration ttl, SecureRandom random) {
        this.ca = ca;
        this.identity = identity;
        this.ttl = ttl;
        this.random = random;
    }

    @Override
    public IdentityMaterial issue() throws IssueFailed {
        KeyPair keys = KeyPairs.generateP256(random);
        try {
            IssuedCertificate issued = ca.sign(CertificateRequests.build(keys, identity), identity, ttl);
            return new IdentityMaterial(identity, keys.getPrivate(), issued.chain(), ca.trustBundle());
        } catch (SigningRefused e) {
            throw new IssueFailed("the CA refused " + identity + ": " + e.getMessage());
        }
    }
}
