package dev.gatemesh.ca.identity;

import dev.gatemesh.ca.TrustBundle;
import dev.gatemesh.ca.pki.SpiffeId;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts a peer whose chain verifies against the mesh's current trust bundle, whose SPIFFE ID is in
 * the trust domain, and which the caller's rule allows; never by host name. The bundle is read on every
 * handshake, so a root rotation (two roots in the bundle) takes effect at once.
 */
public final class SpiffeTrustManager extends X509ExtendedTrustManager {

    private final Supplier<TrustBundle> bundle;
    private final String trustDomain;
    private final Predicate<SpiffeId> allowed;
    private final Clock clock;

    public SpiffeTrustManager(Supplier<TrustBundle> bundle, String trustDomain, Predicate<SpiffeId> allowed, Clock clock) {
        this.bundle = bundle;
        this.trustDomain = trustDomain;
        this.allowed = allowed;
        this.clock = clock;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        SpiffeId peer;
        try {
            peer = bundle.get().verify(chain == null ? List.of() : List.of(chain), clock.instant(), trustDomain);
        } catch (TrustBundle.Untrusted e) {
            throw new CertificateException(e.getMessage());
        }
        if (!allowed.test(peer)) {
            throw new CertificateException("the peer " + peer + " is not an identity this connection accepts");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return bundle.get().roots().toArray(X509Certificate[]::new);
    }
}
