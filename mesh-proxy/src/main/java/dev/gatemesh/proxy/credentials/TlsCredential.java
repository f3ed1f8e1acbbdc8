package dev.gatemesh.proxy.credentials;

/**
 * A gateway server's TLS credential, as Istio's {@code credentialName} names it: a Kubernetes TLS Secret
 * ({@code tls.crt}, {@code tls.key}, and {@code ca.crt} for MUTUAL) or the same files in a home-folder
 * directory. The private key stays in this process and is never printed: {@link #toString()} omits it.
 *
 * @param name                the credential's name
 * @param certificateChainPem the server certificate chain (PEM)
 * @param privateKeyPem       its private key (PEM, PKCS#8 or PKCS#1)
 * @param caCertificatesPem   the client CAs for MUTUAL (PEM), or null
 * @param version             changes whenever the content changes (resource version, or a content hash)
 */
public record TlsCredential(String name, String certificateChainPem, String privateKeyPem, String caCertificatesPem,
                            String version) {

    @Override
    public String toString() {
        return "TlsCredential[" + name + " version " + version + (caCertificatesPem != null ? ", with client CAs" : "") + "]";
    }
}
