package dev.gatemesh.server.tls;

import dev.gatemesh.api.thread.DaemonThreads;
import dev.gatemesh.ca.CertificateAuthority;
import dev.gatemesh.ca.IssuedCertificate;
import dev.gatemesh.ca.identity.IdentityMaterial;
import dev.gatemesh.ca.identity.IssueFailed;
import dev.gatemesh.ca.identity.WorkloadIdentity;
import dev.gatemesh.ca.pki.KeyPairs;
import dev.gatemesh.ca.pki.SpiffeId;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The config server's own certificate, for the control plane's identity and the host names it is reached
 * by: signed in-process by the mesh CA (the key never leaves this process), renewed at half-life like
 * every workload certificate.
 */
public final class ServingCertificate implements AutoCloseable {

    private final CertificateAuthority ca;
    private final SpiffeId identity;
    private final List<String> hostNames;
    private final Duration ttl;
    private final SecureRandom random;
    private final ScheduledExecutorService scheduler;
    private final WorkloadIdentity rotation;

    public ServingCertificate(CertificateAuthority ca, SpiffeId identity, List<String> hostNames, Duration ttl, Clock clock,
                              SecureRandom random) {
        this.ca = ca;
        this.identity = identity;
        this.hostNames = List.copyOf(hostNames);
        this.ttl = ttl;
        this.random = random;
        this.scheduler = DaemonThreads.scheduler("gatemesh-serving-certificate");
        this.rotation = new WorkloadIdentity(this::issue, clock, new SplittableRandom(random.nextLong()), scheduler,
                Duration.ofSeconds(5));
        try {
            rotation.start();
        } catch (IssueFailed e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private IdentityMaterial issue() {
        KeyPair keys = KeyPairs.generateP256(random);
        IssuedCertificate issued = ca.issueForSelf(keys.getPublic(), identity, hostNames, ttl);
        return new IdentityMaterial(identity, keys.getPrivate(), issued.chain(), ca.trustBundle());
    }

    public IdentityMaterial current() {
        return rotation.current();
    }

    /** Re-issues at once, from the CA's current material (after a CA change). */
    public void renewNow() {
        rotation.renewNow();
    }

    public List<String> hostNames() {
        return hostNames;
    }

    @Override
    public void close() {
        rotation.close();
        scheduler.shutdownNow();
    }
}
