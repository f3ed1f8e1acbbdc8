package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.credentials.TlsCredential;
import dev.gatemesh.ca.pki.Pem;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * Netty server contexts from a gateway credential. The PEM is parsed here (with the same parser as
 * {@link CredentialValidator}), so PKCS#1 keys work even where netty's own PEM reader would refuse them.
 */
public final class CredentialSslContexts {

    private CredentialSslContexts() {
    }

    /**
     * A builder with the credential's chain and key, TLS 1.3 and 1.2, and the client CAs when {@code clientAuth}
     * is not NONE (ALPN and ciphers are left to the caller).
     *
     * @throws IllegalArgumentException when the credential is unusable, or client authentication is asked for
     *                                  and it has no client CAs
     */
    public static SslContextBuilder serverBuilder(TlsCredential credential, ClientAuth clientAuth) {
        X509Certificate[] chain = Pem.certificates(credential.certificateChainPem()).toArray(X509Certificate[]::new);
        SslContextBuilder builder = SslContextBuilder.forServer(Pem.privateKey(credential.privateKeyPem()), chain)
                .sslProvider(io.netty.handler.ssl.SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2");
        if (clientAuth != ClientAuth.NONE) {
            if (credential.caCertificatesPem() == null) {
                throw new IllegalArgumentException("credential " + credential.name()
                        + " has no client CA certificates (ca.crt, or a " + credential.name() + "-cacert credential)"
                        + " but client certificates are required");
            }
            builder.trustManager(Pem.certificates(credential.caCertificatesPem()).toArray(X509Certificate[]::new))
                    .clientAuth(clientAuth);
        }
        return builder;
    }

    /** {@link #serverBuilder} built. */
    public static SslContext server(TlsCredential credential, ClientAuth clientAuth) {
        try {
            return serverBuilder(credential, clientAuth).build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot build a TLS context from credential " + credential.name() + ": "
                    + e.getMessage(), e);
        }
    }
}
