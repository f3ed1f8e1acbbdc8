package dev.gatemesh.ca.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.ca.CaMaterial;
import dev.gatemesh.ca.CertificateAuthority;
import dev.gatemesh.ca.IssuedCertificate;
import dev.gatemesh.ca.pki.CertificateRequests;
import dev.gatemesh.ca.pki.KeyPairs;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.ca.policy.SigningPolicy;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkloadIdentityTests {

    private static final SpiffeId REVIEWS = new SpiffeId("cluster.local", "bookinfo", "bookinfo-reviews");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CertificateAuthority ca = new CertificateAuthority(
            CaMaterial.selfSigned("cluster.local", Clock.systemUTC(), RANDOM), SigningPolicy.defaults("cluster.local"),
            Clock.systemUTC(), RANDOM);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** The real CA, in process: a new key for every certificate, as the proxy does. */
    private IdentityMaterial issue(Duration ttl) {
        return issue(ca, ttl);
    }

    private static IdentityMaterial issue(CertificateAuthority ca, Duration ttl) {
        try {
            KeyPair keys = KeyPairs.generateP256(RANDOM);
            IssuedCertificate issued = ca.sign(CertificateRequests.build(keys, REVIEWS), REVIEWS, ttl);
            return new IdentityMaterial(REVIEWS, keys.getPrivate(), issued.chain(), ca.trustBundle());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void renewsAtHalfTheLifetimeWithBoundedJitter() {
        IdentityMaterial material = issue(Duration.ofHours(24));
        Duration lifetime = Duration.between(material.notBefore(), material.notAfter());
        Instant half = material.notBefore().plus(lifetime.dividedBy(2));
        Clock clock = Clock.fixed(material.notBefore(), ZoneOffset.UTC);
        WorkloadIdentity seeded = new WorkloadIdentity(() -> material, clock, new SplittableRandom(42), scheduler,
                Duration.ofSeconds(1));
        Instant first = seeded.renewalTime(material, material.notBefore());
        assertThat(Duration.between(half, first).abs()).isLessThanOrEqualTo(lifetime.dividedBy(10));
        assertThat(new WorkloadIdentity(() -> material, clock, new SplittableRandom(42), scheduler, Duration.ofSeconds(1))
                .renewalTime(material, material.notBefore())).as("same seed, same time").isEqualTo(first);
        List<Instant> spread = new CopyOnWriteArrayList<>();
        SplittableRandom fleet = new SplittableRandom(7);
        for (int i = 0; i < 20; i++) {
            spread.add(new WorkloadIdentity(() -> material, clock, fleet.split(), scheduler, Duration.ofSeconds(1))
                    .renewalTime(material, material.notBefore()));
        }
        assertThat(spread.stream().distinct().count()).as("a fleet does not renew at once").isGreaterThan(15);
    }

    @Test
    void aShortLivedCertificateIsRenewedAtHalfOfWhatRemainsNotAtOnceDespiteTheBackdatedNotBefore() {
        // A fixed clock on a whole second: X.509 validity has second precision, so a real clock would make the
        // remaining lifetime (and this test) depend on where in a second the certificate was signed.
        Instant obtained = Instant.parse("2026-11-30T12:00:00Z");
        Clock clock = Clock.fixed(obtained, ZoneOffset.UTC);
        CertificateAuthority fixedCa = new CertificateAuthority(CaMaterial.selfSigned("cluster.local", clock, RANDOM),
                SigningPolicy.defaults("cluster.local"), clock, RANDOM);
        IdentityMaterial material = issue(fixedCa, Duration.ofSeconds(4));
        assertThat(material.notBefore()).as("the CA backdates against clock skew").isBefore(obtained.minusSeconds(30));
        WorkloadIdentity identity = new WorkloadIdentity(() -> material, clock, new SplittableRandom(3), scheduler,
                Duration.ofSeconds(1));
        Instant renewal = identity.renewalTime(material, obtained);
        assertThat(Duration.between(obtained, renewal)).isBetween(Duration.ofMillis(1500), Duration.ofMillis(2500));
    }

    @Test
    void theFirstCertificateIsInPlaceBeforeStartReturnsAndRotationsBringNewKeys() throws Exception {
        WorkloadIdentity identity = new WorkloadIdentity(() -> issue(Duration.ofSeconds(2)), Clock.systemUTC(),
                new SplittableRandom(1), scheduler, Duration.ofMillis(100));
        assertThat(identity.isReady()).isFalse();
        List<IdentityMaterial> rotations = new CopyOnWriteArrayList<>();
        identity.onRotation(rotations::add);
        IdentityMaterial first = identity.start();
        assertThat(identity.isReady()).isTrue();
        assertThat(identity.current()).isSameAs(first);

        await().atMost(Duration.ofSeconds(10)).until(() -> rotations.size() >= 2);
        assertThat(rotations.get(0).privateKey()).isNotEqualTo(first.privateKey());
        assertThat(rotations.get(0).serial()).isNotEqualTo(first.serial());
        assertThat(identity.current()).isSameAs(rotations.get(rotations.size() - 1));
        identity.close();
    }

    @Test
    void aFailedRenewalKeepsTheCurrentCertificateAndTriesAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean caDown = new AtomicBoolean(false);
        WorkloadIdentity identity = new WorkloadIdentity(() -> {
            calls.incrementAndGet();
            if (caDown.get()) {
                throw new IssueFailed("the CA is restarting");
            }
            return issue(Duration.ofSeconds(2));
        }, Clock.systemUTC(), new SplittableRandom(1), scheduler, Duration.ofMillis(50));
        IdentityMaterial first = identity.start();
        caDown.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 3);
        assertThat(identity.current()).as("kept while the CA is down").isSameAs(first);
        caDown.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> identity.current() != first);
        assertThat(calls.get()).isGreaterThanOrEqualTo(4);
        identity.close();
    }
}
