package dev.gatemesh.proxy.controlplane;

import dev.gatemesh.ca.TrustBundle;
import dev.gatemesh.ca.identity.SpiffeTrustManager;
import dev.gatemesh.ca.identity.WorkloadIdentity;
import dev.gatemesh.ca.identity.WorkloadKeyManager;
import dev.gatemesh.ca.pki.SpiffeId;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collections;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;

/**
 * How a proxy talks TLS to its control plane: the server must present the control plane's SPIFFE ID
 * under the mesh's trust root (never checked by host name); on the stream the proxy presents its
 * workload certificate, the current one at every handshake.
 */
public final class ControlPlaneTls {

    private ControlPlaneTls() {
    }

    /** For {@code POST /v1/certificates}: the proxy has no certificate yet, only the trust root. */
    public static SSLContext certificateRequests(Supplier<TrustBundle> trust, SpiffeId controlPlane, Clock clock) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {serverCheck(trust, controlPlane, clock)}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    /** For the stream: mutual TLS with the workload's current certificate. */
    public static SslContext stream(WorkloadIdentity identity, SpiffeId controlPlane, Clock clock) {
        try {
            return SslContextBuilder.forClient()
                    .keyManager(new WorkloadKeyManager(identity::current))
                    .trustManager(serverCheck(() -> identity.current().trustBundle(), controlPlane, clock))
                    .sslProvider(io.netty.handler.ssl.SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the control-plane TLS context: " + e.getMessage(), e);
        }
    }

    /** Forgets cached sessions, so that the next connection makes a full handshake with the current certificate. */
    public static void forgetSessions(SslContext context) {
        SSLSessionContext sessions = context.sessionContext();
        if (sessions != null) {
            for (byte[] id : Collections.list(sessions.getIds())) {
                var session = sessions.getSession(id);
                if (session != null) {
                    session.invalidate();
                }
            }
        }
    }

    private static SpiffeTrustManager serverCheck(Supplier<TrustBundle> trust, SpiffeId controlPlane, Clock clock) {
        return new SpiffeTrustManager(trust, controlPlane.trustDomain(), controlPlane::equals, clock);
    }
}
