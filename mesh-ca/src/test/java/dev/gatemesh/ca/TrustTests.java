package dev.gatemesh.ca;

import static dev.gatemesh.ca.SigningTests.CLOCK;
import static dev.gatemesh.ca.SigningTests.NOW;
import static dev.gatemesh.ca.SigningTests.RANDOM;
import static dev.gatemesh.ca.SigningTests.REVIEWS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatemesh.ca.pki.CertificateRequests;
import dev.gatemesh.ca.pki.Certificates;
import dev.gatemesh.ca.pki.KeyPairs;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.ca.policy.SigningPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustTests {

    @TempDir
    Path folder;

    private static CertificateAuthority ca(CaMaterial material, String trustDomain) {
        return new CertificateAuthority(material, SigningPolicy.defaults(trustDomain), CLOCK, RANDOM);
    }

    private static IssuedCertificate issue(CertificateAuthority ca, SpiffeId id, Duration ttl) throws Exception {
        return ca.sign(CertificateRequests.build(KeyPairs.generateP256(RANDOM), id), id, ttl);
    }

    @Test
    void aCertificateFromAnotherRootIsRejected() throws Exception {
        CertificateAuthority ours = ca(CaMaterial.selfSigned("cluster.local", CLOCK, RANDOM), "cluster.local");
        CertificateAuthority theirs = ca(CaMaterial.selfSigned("cluster.local", CLOCK, RANDOM), "cluster.local");
        IssuedCertificate foreign = issue(theirs, REVIEWS, null);
        assertThatThrownBy(() -> ours.trustBundle().verify(foreign.chain(), NOW, "cluster.local"))
                .isInstanceOf(TrustBundle.Untrusted.class).hasMessageContaining("does not verify against the mesh's roots");
    }

    @Test
    void anExpiredCertificateIsRejected() throws Exception {
        CertificateAuthority ca = ca(CaMaterial.selfSigned("cluster.local", CLOCK, RANDOM), "cluster.local");
        IssuedCertificate issued = issue(ca, REVIEWS, Duration.ofSeconds(10));
        assertThat(ca.trustBundle().verify(issued.chain(), NOW.plusSeconds(5), "cluster.local")).isEqualTo(REVIEWS);
        assertThatThrownBy(() -> ca.trustBundle().verify(issued.chain(), NOW.plusSeconds(11), "cluster.local"))
                .isInstanceOf(TrustBundle.Untrusted.class);
    }

    @Test
    void aCertificateOfAnotherTrustDomainIsRejected() throws Exception {
        CertificateAuthority other = ca(CaMaterial.selfSigned("other.domain", CLOCK, RANDOM), "other.domain");
        SpiffeId foreign = new SpiffeId("other.domain", "bookinfo", "bookinfo-reviews");
        IssuedCertificate issued = issue(other, foreign, null);
        TrustBundle both = other.trustBundle();
        assertThatThrownBy(() -> both.verify(issued.chain(), NOW, "cluster.local"))
                .isInstanceOf(TrustBundle.Untrusted.class).hasMessageContaining("not in the trust domain cluster.local");
    }

    @Test
    void aTwoRootBundleTrustsCertificatesFromEitherRootDuringARotation() throws Exception {
        CertificateAuthority old = ca(CaMaterial.selfSigned("cluster.local", CLOCK, RANDOM), "cluster.local");
        CertificateAuthority fresh = ca(CaMaterial.selfSigned("cluster.local", CLOCK, RANDOM), "cluster.local");
        TrustBundle rotation = old.trustBundle().with(fresh.trustBundle());
        assertThat(rotation.roots()).hasSize(2);
        assertThat(rotation.verify(issue(old, REVIEWS, null).chain(), NOW, "cluster.local")).isEqualTo(REVIEWS);
        assertThat(rotation.verify(issue(fresh, REVIEWS, null).chain(), NOW, "cluster.local")).isEqualTo(REVIEWS);
        assertThat(TrustBundle.fromPem(rotation.pem())).isEqualTo(rotation);
    }

    @Test
    void aGeneratedRootIsPersistedAndLoadedBackOnTheNextStart() throws Exception {
        CaMaterial first = CaMaterial.loadOrCreate(folder, "cluster.local", CLOCK, RANDOM);
        CaMaterial second = CaMaterial.loadOrCreate(folder, "cluster.local", CLOCK, RANDOM);
        assertThat(second.signingCertificate()).isEqualTo(first.signingCertificate());
        assertThat(second.trustBundle()).isEqualTo(first.trustBundle());
        assertThat(first.signingCertificate().getNotAfter().toInstant())
                .isEqualTo(NOW.plus(Duration.ofDays(3650)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(Files.getPosixFilePermissions(folder.resolve(CaMaterial.CA_KEY)))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        IssuedCertificate issued = issue(ca(second, "cluster.local"), REVIEWS, null);
        assertThat(first.trustBundle().verify(issued.chain(), NOW, "cluster.local")).isEqualTo(REVIEWS);
    }

    @Test
    void aPluggedInCaWithAnIntermediateSignsCertificatesThatVerifyToTheRoot() throws Exception {
        var rootKeys = KeyPairs.generateP256(RANDOM);
        var root = Certificates.selfSignedCa(rootKeys, "cluster.local", NOW.minusSeconds(60), NOW.plus(Duration.ofDays(365)), RANDOM);
        var intermediateKeys = KeyPairs.generateP256(RANDOM);
        var intermediate = Certificates.intermediateCa(root, rootKeys.getPrivate(), intermediateKeys.getPublic(),
                "cluster-1 intermediate", NOW.minusSeconds(60), NOW.plus(Duration.ofDays(180)), RANDOM);
        new CaMaterial(intermediate, intermediateKeys.getPrivate(), List.of(intermediate), new TrustBundle(List.of(root)))
                .write(folder);

        CaMaterial loaded = CaMaterial.load(folder);
        IssuedCertificate issued = issue(ca(loaded, "cluster.local"), REVIEWS, null);
        assertThat(issued.chain()).hasSize(2);
        assertThat(issued.chain().get(1)).isEqualTo(intermediate);
        assertThat(new TrustBundle(List.of(root)).verify(issued.chain(), NOW, "cluster.local")).isEqualTo(REVIEWS);
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsAClearError() throws Exception {
        CaMaterial.selfSigned("cluster.local", CLOCK, RANDOM).write(folder);
        CaMaterial stranger = CaMaterial.selfSigned("cluster.local", CLOCK, RANDOM);
        Files.writeString(folder.resolve(CaMaterial.CA_KEY), dev.gatemesh.ca.pki.Pem.encodePrivateKey(stranger.signingKey()));
        assertThatThrownBy(() -> CaMaterial.load(folder)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ca-key.pem is not the key of ca-cert.pem").hasMessageContaining(folder.toString());
    }
}
