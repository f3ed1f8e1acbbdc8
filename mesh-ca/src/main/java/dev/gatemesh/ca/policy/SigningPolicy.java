package dev.gatemesh.ca.policy;

import dev.gatemesh.ca.pki.CertificateRequests;
import dev.gatemesh.ca.pki.KeyPairs;
import dev.gatemesh.ca.pki.SpiffeId;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;

/**
 * What the CA may sign: a CSR signed by its own P-256 key that asks for exactly the identity its
 * caller proved (one URI SAN, nothing else), in the mesh's trust domain, for no longer than the
 * maximum TTL. Everything else is refused with a typed reason.
 *
 * @param defaultTtl the TTL when the caller asks for none (Istio's default: 24 h)
 * @param maxTtl     the longest TTL the CA grants
 */
public record SigningPolicy(String trustDomain, Duration defaultTtl, Duration maxTtl) {

    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(90);

    public SigningPolicy {
        if (defaultTtl.isNegative() || defaultTtl.isZero() || maxTtl.compareTo(defaultTtl) < 0) {
            throw new IllegalArgumentException("the CA needs 0 < default TTL <= max TTL (got " + DurationText.of(defaultTtl)
                    + ", " + DurationText.of(maxTtl) + ")");
        }
    }

    public static SigningPolicy defaults(String trustDomain) {
        return new SigningPolicy(trustDomain, DEFAULT_TTL, DEFAULT_MAX_TTL);
    }

    /** A request the policy allows: the key to certify, the identity, and the TTL to grant. */
    public record Approval(PublicKey publicKey, SpiffeId identity, Duration ttl) {
    }

    public Approval approve(String csrPem, SpiffeId proven, Duration requestedTtl) throws SigningRefused {
        CertificateRequests.Parsed csr;
        try {
            csr = CertificateRequests.parse(csrPem);
        } catch (IllegalArgumentException e) {
            throw new SigningRefused(SigningRefused.Reason.MALFORMED_CSR, e.getMessage());
        }
        if (!csr.signatureValid()) {
            throw new SigningRefused(SigningRefused.Reason.BAD_SIGNATURE,
                    "the CSR's signature does not verify with its own public key");
        }
        if (!KeyPairs.isP256(csr.publicKey())) {
            throw new SigningRefused(SigningRefused.Reason.WRONG_KEY_TYPE,
                    "the CSR's key is " + csr.publicKey().getAlgorithm() + "; Gatemesh certifies EC P-256 keys only");
        }
        if (!proven.trustDomain().equals(trustDomain)) {
            throw new SigningRefused(SigningRefused.Reason.FOREIGN_TRUST_DOMAIN, "the identity " + proven
                    + " is not in this mesh's trust domain " + trustDomain);
        }
        List<String> uris = csr.uriSans();
        if (uris.size() != 1 || !uris.get(0).equals(proven.toString())) {
            throw new SigningRefused(SigningRefused.Reason.IDENTITY_MISMATCH, "the CSR asks for "
                    + (uris.isEmpty() ? "no identity" : String.join(", ", uris)) + " but the caller proved " + proven);
        }
        if (!csr.otherSans().isEmpty()) {
            throw new SigningRefused(SigningRefused.Reason.EXTRA_SANS, "the CSR asks for other names too ("
                    + String.join(", ", csr.otherSans()) + "); a workload certificate carries its SPIFFE ID only");
        }
        Duration ttl = requestedTtl == null ? defaultTtl : requestedTtl;
        if (ttl.isNegative() || ttl.isZero()) {
            throw new SigningRefused(SigningRefused.Reason.TTL_INVALID, "the requested TTL must be positive (got " + DurationText.of(ttl) + ")");
        }
        if (ttl.compareTo(maxTtl) > 0) {
            throw new SigningRefused(SigningRefused.Reason.TTL_TOO_LONG, "the requested TTL " + DurationText.of(ttl)
                    + " exceeds the maximum of " + DurationText.of(maxTtl) + " (gatemesh.ca.max-ttl)");
        }
        return new Approval(csr.publicKey(), proven, ttl);
    }
}
