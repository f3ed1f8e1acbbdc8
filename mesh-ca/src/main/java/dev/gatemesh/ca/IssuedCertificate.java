package dev.gatemesh.ca;

import dev.gatemesh.ca.pki.Pem;
import dev.gatemesh.ca.pki.SpiffeId;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** What the CA hands back: the chain (leaf first, up to but without the root) and its facts. */
public record IssuedCertificate(List<X509Certificate> chain, SpiffeId identity, BigInteger serial, Instant notBefore,
                                Instant notAfter) {

    public IssuedCertificate {
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public String chainPem() {
        return Pem.encodeCertificates(chain);
    }
}
