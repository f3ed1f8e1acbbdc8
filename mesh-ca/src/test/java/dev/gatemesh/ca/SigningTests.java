package dev.gatemesh.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatemesh.ca.pki.CertificateRequests;
import dev.gatemesh.ca.pki.Certificates;
import dev.gatemesh.ca.pki.KeyPairs;
import dev.gatemesh.ca.pki.Pem;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.ca.policy.SigningPolicy;
import dev.gatemesh.ca.policy.SigningRefused;
import dev.gatemesh.ca.policy.SigningRefused.Reason;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class SigningTests {

    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final SecureRandom RANDOM = new SecureRandom();
    static final SpiffeId REVIEWS = new SpiffeId("cluster.local", "bookinfo", "bookinfo-reviews");

    private final CertificateAuthority ca = new CertificateAuthority(CaMaterial.selfSigned("cluster.local", CLOCK, RANDOM),
            SigningPolicy.defaults("cluster.local"), CLOCK, RANDOM);

    private static String csr(KeyPair keys, String signatureAlgorithm, GeneralName... names) throws Exception {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(names));
        return Pem.encode(new JcaPKCS10CertificationRequestBuilder(new X500Name(""), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate())));
    }

    private static GeneralName uri(String value) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, value);
    }

    private Reason refusal(String csr, SpiffeId proven, Duration ttl) {
        try {
            ca.sign(csr, proven, ttl);
        } catch (SigningRefused e) {
            return e.reason();
        }
        throw new AssertionError("the CA signed what it should have refused");
    }

    @Test
    void aValidCsrGetsACertificateWithExactlyTheProvenIdentity() throws Exception {
        KeyPair keys = KeyPairs.generateP256(RANDOM);
        IssuedCertificate issued = ca.sign(CertificateRequests.build(keys, REVIEWS), REVIEWS, null);

        assertThat(issued.leaf().getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(issued.leaf().getSubjectAlternativeNames()).containsExactly(List.of(6, REVIEWS.toString()));
        assertThat(Certificates.spiffeIdOf(issued.leaf())).contains(REVIEWS);
        assertThat(issued.notAfter()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThat(issued.leaf().getBasicConstraints()).isEqualTo(-1);
        assertThat(issued.leaf().getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(ca.trustBundle().verify(issued.chain(), NOW, "cluster.local")).isEqualTo(REVIEWS);
    }

    @Test
    void aCsrForAnotherIdentityIsRefused() {
        KeyPair keys = KeyPairs.generateP256(RANDOM);
        String forRatings = CertificateRequests.build(keys, new SpiffeId("cluster.local", "bookinfo", "bookinfo-ratings"));
        assertThat(refusal(forRatings, REVIEWS, null)).isEqualTo(Reason.IDENTITY_MISMATCH);
        assertThatThrownBy(() -> ca.sign(forRatings, REVIEWS, null)).hasMessageContaining(
                "asks for spiffe://cluster.local/ns/bookinfo/sa/bookinfo-ratings but the caller proved "
                        + "spiffe://cluster.local/ns/bookinfo/sa/bookinfo-reviews");
    }

    @Test
    void aCsrWithExtraNamesIsRefused() throws Exception {
        KeyPair keys = KeyPairs.generateP256(RANDOM);
        String withDns = csr(keys, "SHA256withECDSA", uri(REVIEWS.toString()), new GeneralName(GeneralName.dNSName, "evil.example.com"));
        assertThat(refusal(withDns, REVIEWS, null)).isEqualTo(Reason.EXTRA_SANS);
        String twoUris = csr(keys, "SHA256withECDSA", uri(REVIEWS.toString()), uri("spiffe://cluster.local/ns/x/sa/y"));
        assertThat(refusal(twoUris, REVIEWS, null)).isEqualTo(Reason.IDENTITY_MISMATCH);
    }

    @Test
    void aKeyThatIsNotP256IsRefused() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertThat(refusal(csr(rsa.generateKeyPair(), "SHA256withRSA", uri(REVIEWS.toString())), REVIEWS, null))
                .isEqualTo(Reason.WRONG_KEY_TYPE);
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        assertThat(refusal(csr(p384.generateKeyPair(), "SHA256withECDSA", uri(REVIEWS.toString())), REVIEWS, null))
                .isEqualTo(Reason.WRONG_KEY_TYPE);
    }

    @Test
    void aCsrWhoseSignatureDoesNotVerifyIsRefused() throws Exception {
        KeyPair keys = KeyPairs.generateP256(RANDOM);
        KeyPair other = KeyPairs.generateP256(RANDOM);
        // The request names one key but is signed with another: the caller does not hold the key.
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name(""), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, sanExtensions(REVIEWS.toString()))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(other.getPrivate()));
        assertThat(refusal(Pem.encode(request), REVIEWS, null)).isEqualTo(Reason.BAD_SIGNATURE);
    }

    private static org.bouncycastle.asn1.x509.Extensions sanExtensions(String uri) throws Exception {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(uri(uri)));
        return extensions.generate();
    }

    @Test
    void aTtlAboveTheMaximumIsRefusedWithTheLimitNamed() {
        String request = CertificateRequests.build(KeyPairs.generateP256(RANDOM), REVIEWS);
        assertThat(refusal(request, REVIEWS, Duration.ofDays(91))).isEqualTo(Reason.TTL_TOO_LONG);
        assertThatThrownBy(() -> ca.sign(request, REVIEWS, Duration.ofDays(91)))
                .hasMessage("the requested TTL 91d exceeds the maximum of 90d (gatemesh.ca.max-ttl)");
        assertThat(refusal(request, REVIEWS, Duration.ZERO)).isEqualTo(Reason.TTL_INVALID);
    }

    @Test
    void anIdentityOutsideTheTrustDomainIsRefused() {
        SpiffeId foreign = new SpiffeId("other.domain", "bookinfo", "bookinfo-reviews");
        String request = CertificateRequests.build(KeyPairs.generateP256(RANDOM), foreign);
        assertThat(refusal(request, foreign, null)).isEqualTo(Reason.FOREIGN_TRUST_DOMAIN);
    }

    @Test
    void garbageIsAMalformedCsr() {
        assertThat(refusal("hello", REVIEWS, null)).isEqualTo(Reason.MALFORMED_CSR);
        String truncated = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getEncoder().encodeToString(new byte[40])
                + "\n-----END CERTIFICATE REQUEST-----\n";
        assertThat(refusal(truncated, REVIEWS, null)).isEqualTo(Reason.MALFORMED_CSR);
    }

    @Test
    void aShortTtlIsGrantedAndNoCertificateOutlivesTheCa() throws Exception {
        String request = CertificateRequests.build(KeyPairs.generateP256(RANDOM), REVIEWS);
        assertThat(ca.sign(request, REVIEWS, Duration.ofSeconds(5)).notAfter()).isEqualTo(NOW.plusSeconds(5));
        Clock late = Clock.fixed(NOW.plus(Duration.ofDays(3650 - 1)), ZoneOffset.UTC);
        var lateCa = new CertificateAuthority(CaMaterial.selfSigned("cluster.local", CLOCK, RANDOM),
                SigningPolicy.defaults("cluster.local"), late, RANDOM);
        IssuedCertificate issued = lateCa.sign(request, REVIEWS, Duration.ofDays(30));
        assertThat(issued.notAfter()).isEqualTo(lateCa.trustBundle().roots().get(0).getNotAfter().toInstant());
    }
}
