package dev.gatemesh.proxy.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Verifies a server outside the mesh: its chain against the trusted CAs (PKIX, by the JDK's trust manager), then its
 * certificate's subject alternative names against the names the DestinationRule expects, never against the address
 * connected to (an external host may be reached through a static IP, a DNS alias or the egress gateway). A DNS name
 * in the certificate may be a wildcard in its first label ({@code *.example.com}), as RFC 6125 allows.
 */
final class ServerNameTrustManager extends X509ExtendedTrustManager {

    private final X509TrustManager chain;
    private final List<String> expectedNames;

    /** @param expectedNames any one of them must be in the certificate; empty: the chain alone is verified */
    ServerNameTrustManager(X509TrustManager chain, List<String> expectedNames) {
        this.chain = chain;
        this.expectedNames = expectedNames.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
        chain.checkServerTrusted(certificates, authType);
        if (expectedNames.isEmpty()) {
            return;
        }
        List<String> names = subjectAltNames(certificates[0]);
        for (String expected : expectedNames) {
            for (String name : names) {
                if (matches(name, expected)) {
                    return;
                }
            }
        }
        throw new CertificateException("the server's certificate names " + names + ", none of the expected "
                + expectedNames + " (DestinationRule tls.subjectAltNames, else tls.sni, else the host)");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(certificates, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(certificates, authType);
    }

    /** The certificate's DNS names and IP addresses. */
    static List<String> subjectAltNames(X509Certificate certificate) throws CertificateParsingException {
        List<String> out = new ArrayList<>();
        Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
        if (entries != null) {
            for (List<?> entry : entries) {
                int type = (Integer) entry.get(0);
                if (type == 2 || type == 7) { // dNSName, iPAddress
                    out.add(String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /** RFC 6125: a wildcard stands for exactly one whole left-most label. */
    static boolean matches(String certificateName, String expected) {
        if (certificateName.equals(expected)) {
            return true;
        }
        if (certificateName.startsWith("*.")) {
            int dot = expected.indexOf('.');
            return dot > 0 && expected.substring(dot).equals(certificateName.substring(1));
        }
        return false;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
        throw new CertificateException("not a server-side trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(certificates, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(certificates, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chain.getAcceptedIssuers();
    }
}
