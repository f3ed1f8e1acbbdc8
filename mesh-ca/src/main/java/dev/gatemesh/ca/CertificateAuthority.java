package dev.gatemesh.ca;

import dev.gatemesh.ca.pki.Certificates;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.ca.policy.SigningPolicy;
import dev.gatemesh.ca.policy.SigningRefused;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Signs workload certificates: only after the {@link SigningPolicy} approved the request for the
 * identity the caller proved. Certificates start a minute in the past (clock skew) and never outlive
 * the CA's own certificate.
 */
public final class CertificateAuthority {

    private static final Duration SKEW = Duration.ofMinutes(1);

    private final AtomicReference<CaMaterial> material;
    private final SigningPolicy policy;
    private final Clock clock;
    private final SecureRandom random;

    public CertificateAuthority(CaMaterial material, SigningPolicy policy, Clock clock, SecureRandom random) {
        this.material = new AtomicReference<>(material);
        this.policy = policy;
        this.clock = clock;
        this.random = random;
    }

    public IssuedCertificate sign(String csrPem, SpiffeId proven, Duration requestedTtl) throws SigningRefused {
        SigningPolicy.Approval approval = policy.approve(csrPem, proven, requestedTtl);
        return issue(approval.publicKey(), approval.identity(), List.of(), approval.ttl());
    }

    /**
     * Certifies a key of this very process (the config server's own serving key): no CSR and no caller to
     * prove anything, so this is not reachable from the network. The names are DNS names or IP literals.
     */
    public IssuedCertificate issueForSelf(PublicKey key, SpiffeId identity, List<String> hostNames, Duration ttl) {
        return issue(key, identity, hostNames, ttl);
    }

    private IssuedCertificate issue(PublicKey key, SpiffeId identity, List<String> hostNames, Duration ttl) {
        CaMaterial material = this.material.get();
        Instant now = clock.instant();
        Instant notAfter = now.plus(ttl);
        Instant caExpiry = material.signingCertificate().getNotAfter().toInstant();
        if (notAfter.isAfter(caExpiry)) {
            notAfter = caExpiry;
        }
        BigInteger serial = Certificates.serial(random);
        Instant notBefore = now.minus(SKEW);
        X509Certificate leaf = Certificates.leaf(material.signingCertificate(), material.signingKey(), key, identity,
                hostNames, notBefore, notAfter, serial);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        chain.addAll(material.chain());
        return new IssuedCertificate(chain, identity, serial, notBefore, notAfter);
    }

    public TrustBundle trustBundle() {
        return material.get().trustBundle();
    }

    public CaMaterial material() {
        return material.get();
    }

    /**
     * Signs with other material from now on (a root rotation step, a renewed intermediate); certificates
     * already issued stay valid as long as the trust bundle holds their root.
     */
    public void replace(CaMaterial next) {
        material.set(next);
    }

    public SigningPolicy policy() {
        return policy;
    }
}
