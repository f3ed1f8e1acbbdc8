package dev.gatemesh.ca;

import dev.gatemesh.ca.pki.Certificates;
import dev.gatemesh.ca.pki.Pem;
import dev.gatemesh.ca.pki.SpiffeId;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The roots a mesh trusts. It may hold several during a root rotation: certificates from the old and
 * the new root both verify. Verification is by chain and SPIFFE ID, never by host name.
 */
public record TrustBundle(List<X509Certificate> roots) {

    public TrustBundle {
        roots = List.copyOf(new LinkedHashSet<>(roots));
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("a trust bundle needs at least one root");
        }
    }

    public static TrustBundle fromPem(String pem) {
        return new TrustBundle(Pem.certificates(pem));
    }

    public String pem() {
        return Pem.encodeCertificates(roots);
    }

    /** This bundle with more roots (for a rotation: old and new both trusted). */
    public TrustBundle with(TrustBundle other) {
        List<X509Certificate> all = new ArrayList<>(roots);
        all.addAll(other.roots);
        return new TrustBundle(all);
    }

    /** Why a peer's certificate is not accepted. */
    public static final class Untrusted extends Exception {
        public Untrusted(String message) {
            super(message);
        }
    }

    /**
     * Verifies a peer's chain (leaf first) at the given time against these roots and returns the leaf's
     * SPIFFE ID, which must be in {@code trustDomain}.
     */
    public SpiffeId verify(List<X509Certificate> chain, Instant at, String trustDomain) throws Untrusted {
        if (chain.isEmpty()) {
            throw new Untrusted("the peer presented no certificate");
        }
        try {
            Set<TrustAnchor> anchors = new LinkedHashSet<>();
            roots.forEach(root -> anchors.add(new TrustAnchor(root, null)));
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            List<X509Certificate> path = chain.stream().filter(c -> !roots.contains(c)).toList();
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
                    parameters);
        } catch (CertPathValidatorException e) {
            throw new Untrusted("the peer's certificate does not verify against the mesh's roots: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new Untrusted("the peer's certificate cannot be checked: " + e.getMessage());
        }
        SpiffeId identity = Certificates.spiffeIdOf(chain.get(0))
                .orElseThrow(() -> new Untrusted("the peer's certificate carries no SPIFFE ID"));
        if (!identity.trustDomain().equals(trustDomain)) {
            throw new Untrusted("the peer " + identity + " is not in the trust domain " + trustDomain);
        }
        return identity;
    }
}
