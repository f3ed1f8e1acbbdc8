package dev.gatemesh.server.push;

import dev.gatemesh.ca.pki.SpiffeId;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * The certificate chain a proxy presents (verified against the trust bundle before it is recorded): what
 * {@code meshctl proxy-config secret} shows. Public material only.
 */
public record PeerCertificate(SpiffeId identity, List<X509Certificate> chain) {

    public PeerCertificate {
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public String serial() {
        return leaf().getSerialNumber().toString(16);
    }

    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }
}
