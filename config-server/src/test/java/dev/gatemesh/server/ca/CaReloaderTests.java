package dev.gatemesh.server.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.ca.CaMaterial;
import dev.gatemesh.ca.CertificateAuthority;
import dev.gatemesh.ca.TrustBundle;
import dev.gatemesh.ca.policy.SigningPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class CaReloaderTests {

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path home;
    @TempDir
    Path cacerts;
    private final AtomicInteger changes = new AtomicInteger();
    private CaMaterial original;
    private CertificateAuthority ca;
    private CaReloader reloader;

    @BeforeEach
    void start() {
        original = CaMaterial.selfSigned("cluster.local", Clock.systemUTC(), RANDOM);
        original.write(cacerts);
        FileCaStore store = new FileCaStore(home, cacerts, "cluster.local", Clock.systemUTC(), RANDOM);
        ca = new CertificateAuthority(store.loadOrCreate(), SigningPolicy.defaults("cluster.local"), Clock.systemUTC(), RANDOM);
        // A long interval: the test drives each look itself.
        reloader = new CaReloader(store, ca, Duration.ofHours(1), changes::incrementAndGet);
    }

    @AfterEach
    void stop() {
        reloader.close();
    }

    @Test
    void anUnchangedStoreChangesNothingButPublishesTheBundle() throws Exception {
        reloader.check();
        assertThat(changes.get()).isZero();
        assertThat(Files.readString(home.resolve(FileCaStore.TRUST_BUNDLE_FILE))).isEqualTo(original.trustBundle().pem());
    }

    @Test
    void aChangedCaIsSwappedInAndItsBundlePublished() throws Exception {
        CaMaterial other = CaMaterial.selfSigned("cluster.local", Clock.systemUTC(), RANDOM);
        TrustBundle both = original.trustBundle().with(other.trustBundle());
        new CaMaterial(other.signingCertificate(), other.signingKey(), List.of(), both).write(cacerts);

        reloader.check();

        assertThat(changes.get()).isEqualTo(1);
        assertThat(ca.material().signingCertificate()).isEqualTo(other.signingCertificate());
        assertThat(ca.trustBundle().roots()).hasSize(2);
        assertThat(Files.readString(home.resolve(FileCaStore.TRUST_BUNDLE_FILE))).isEqualTo(both.pem());
    }

    @Test
    void unusableMaterialIsReportedOnceAndNeverReplacesTheCaInForce(CapturedOutput output) throws Exception {
        CaMaterial other = CaMaterial.selfSigned("cluster.local", Clock.systemUTC(), RANDOM);
        // A key that does not belong to the certificate: a half-finished copy, or a mistake.
        Files.writeString(cacerts.resolve(CaMaterial.CA_CERT), dev.gatemesh.ca.pki.Pem.encode(other.signingCertificate()));

        reloader.check();
        reloader.check();

        assertThat(changes.get()).isZero();
        assertThat(ca.material().signingCertificate()).isEqualTo(original.signingCertificate());
        assertThat(output).containsOnlyOnce("cannot be used, so the CA in force stays").contains(cacerts.toString());
        assertThat(output).doesNotContain("PRIVATE KEY");
    }
}
