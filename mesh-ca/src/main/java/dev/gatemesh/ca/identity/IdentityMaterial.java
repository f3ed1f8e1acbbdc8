package dev.gatemesh.ca.identity;

import dev.gatemesh.ca.TrustBundle;
import dev.gatemesh.ca.pki.SpiffeId;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A proxy's identity at one moment: its private key (generated in this process, never written, sent or
 * logged), its certificate chain, and the mesh's trust bundle. Immutable; a rotation swaps it whole.
 */
public record IdentityMaterial(SpiffeId identity, PrivateKey privateKey, List<X509Certificate> chain, TrustBundle trustBundle) {

    public IdentityMaterial {
        chain = List.copyOf(chain);
    }

    public Instant notBefore() {
        return chain.get(0).getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return chain.get(0).getNotAfter().toInstant();
    }

    public String serial() {
        return chain.get(0).getSerialNumber().toString(16);
    }

    @Override
    public String toString() {
        return "IdentityMaterial[" + identity + ", serial " + serial() + ", until " + notAfter() + "]";
    }
}
