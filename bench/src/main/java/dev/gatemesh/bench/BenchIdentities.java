package dev.gatemesh.bench;

import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.ca.CertificateAuthority;
import dev.gatemesh.ca.identity.ControlPlaneIdentity;
import dev.gatemesh.ca.identity.InProcessIssuer;
import dev.gatemesh.ca.identity.IssueFailed;
import dev.gatemesh.ca.identity.WorkloadIdentity;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.proxy.controlplane.ControlPlaneTls;
import io.netty.handler.ssl.SslContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Workload certificates for simulated proxies, from the benchmark's own config server's CA (in-process,
 * through the signing policy): one identity per namespace and service account, as pods of one workload
 * would share it.
 */
final class BenchIdentities implements AutoCloseable {

    static final SpiffeId CONTROL_PLANE = ControlPlaneIdentity.of("cluster.local", "gatemesh-system");

    private final CertificateAuthority ca;
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor();
    private final Map<SpiffeId, WorkloadIdentity> identities = new ConcurrentHashMap<>();
    private final Map<SpiffeId, SslContext> contexts = new ConcurrentHashMap<>();

    BenchIdentities(CertificateAuthority ca) {
        this.ca = ca;
    }

    WorkloadIdentity of(ProxyNode node) {
        return identities.computeIfAbsent(new SpiffeId("cluster.local", node.namespace(), node.serviceAccount()), id -> {
            var identity = new WorkloadIdentity(new InProcessIssuer(ca, id, Duration.ofHours(1), new SecureRandom()),
                    Clock.systemUTC(), new SplittableRandom(id.hashCode()), renewals, Duration.ofSeconds(1));
            try {
                identity.start();
            } catch (IssueFailed e) {
                throw new IllegalStateException(e);
            }
            return identity;
        });
    }

    /** The stream's mutual-TLS context for a node. */
    SslContext streamTls(ProxyNode node) {
        WorkloadIdentity identity = of(node);
        return contexts.computeIfAbsent(identity.current().identity(),
                id -> ControlPlaneTls.stream(identity, CONTROL_PLANE, Clock.systemUTC()));
    }

    @Override
    public void close() {
        renewals.shutdownNow();
    }
}
