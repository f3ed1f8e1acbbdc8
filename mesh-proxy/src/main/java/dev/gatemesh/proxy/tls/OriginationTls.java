package dev.gatemesh.proxy.tls;

import dev.gatemesh.api.failure.RootCause;
import dev.gatemesh.ca.pki.Pem;
import dev.gatemesh.proxy.credentials.CredentialSource;
import dev.gatemesh.proxy.credentials.TlsCredential;
import dev.gatemesh.proxy.route.Cluster;
import dev.gatemesh.proxy.route.ClientTls;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS originated by the proxy to servers outside the mesh (DestinationRule {@code tls.mode} SIMPLE or MUTUAL): one
 * client context per cluster settings, built when first needed and again when what it was built from changes (the
 * CA file, checked at most once a second, or the credential's version). It fails closed: when the CAs or the client
 * certificate cannot be had, {@link #forCluster} says why and nothing is sent, never in plain text.
 */
public final class OriginationTls {

    private static final Logger log = LoggerFactory.getLogger(OriginationTls.class);
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final CredentialSource credentials;
    private final Map<ClientTls, Built> built = new ConcurrentHashMap<>();

    /** What a cluster's requests are sent with: the context, the server name to send, and a key that changes with both. */
    public record Origination(String key, SslContext context, String serverName) {
    }

    /** Why TLS cannot be originated for a cluster (the request is refused with 503). */
    public static final class OriginationUnavailable extends RuntimeException {
        OriginationUnavailable(String reason) {
            super(reason, null, false, false);
        }
    }

    private record Built(String sourceKey, long checkedAt, Origination origination) {
    }

    /** @param credentials where {@code credentialName}s are found (a gateway's), or null (a sidecar has none) */
    public OriginationTls(CredentialSource credentials) {
        this.credentials = credentials;
    }

    public Origination forCluster(Cluster cluster) {
        ClientTls tls = cluster.clientTls();
        Built known = built.get(tls);
        long now = System.nanoTime();
        if (known != null && now - known.checkedAt() < RECHECK_NANOS) {
            return known.origination();
        }
        TlsCredential credential = credential(tls, cluster);
        String sourceKey = tls + "|" + caFileVersion(tls, cluster) + "|" + (credential == null ? "-" : credential.version());
        if (known != null && known.sourceKey().equals(sourceKey)) {
            built.put(tls, new Built(sourceKey, now, known.origination()));
            return known.origination();
        }
        String serverName = tls.sni() != null ? tls.sni() : cluster.host();
        SslContext context = build(tls, cluster, credential, serverName);
        Origination origination = new Origination(Integer.toHexString(sourceKey.hashCode()) + "-" + now, context, serverName);
        built.put(tls, new Built(sourceKey, now, origination));
        return origination;
    }

    private TlsCredential credential(ClientTls tls, Cluster cluster) {
        if (tls.credentialName() == null) {
            if (tls.mode().equals("MUTUAL")) {
                throw unavailable(cluster, "tls.mode MUTUAL needs credentialName (the client certificate and key)");
            }
            return null;
        }
        if (credentials == null) {
            throw unavailable(cluster, "tls.credentialName " + tls.credentialName() + " is only available on gateways "
                    + "(route the host through the egress gateway, or use caCertificates)");
        }
        TlsCredential credential = credentials.get(tls.credentialName());
        if (credential == null) {
            throw unavailable(cluster, "the credential " + tls.credentialName() + " does not exist in " + credentials.describe()
                    + (tls.mode().equals("MUTUAL") ? " (expected tls.crt and tls.key, and ca.crt or caCertificates)"
                    : " (expected ca.crt)"));
        }
        return credential;
    }

    private static String caFileVersion(ClientTls tls, Cluster cluster) {
        if (tls.caCertificates() == null) {
            return "-";
        }
        try {
            Path file = Path.of(tls.caCertificates());
            return Files.getLastModifiedTime(file).toMillis() + "/" + Files.size(file);
        } catch (IOException | RuntimeException e) {
            throw unavailable(cluster, "cannot read tls.caCertificates " + tls.caCertificates() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private SslContext build(ClientTls tls, Cluster cluster, TlsCredential credential, String serverName) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(io.netty.handler.ssl.SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2");
            if (tls.insecureSkipVerify()) {
                log.warn("TLS to {} ({}) does not verify the server's certificate: insecureSkipVerify is set", cluster.host(),
                        cluster.name());
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else {
                List<String> names = !tls.subjectAltNames().isEmpty() ? tls.subjectAltNames() : List.of(serverName);
                builder.trustManager(new ServerNameTrustManager(chainVerifier(trustedCas(tls, credential, cluster)), names));
            }
            if (tls.mode().equals("MUTUAL")) {
                PrivateKey key = Pem.privateKey(credential.privateKeyPem());
                X509Certificate[] chain = Pem.certificates(credential.certificateChainPem()).toArray(X509Certificate[]::new);
                builder.keyManager(key, chain);
            }
            return builder.build();
        } catch (OriginationUnavailable e) {
            throw e;
        } catch (Exception e) {
            // A PEM parse failure's message never contains the key itself.
            throw unavailable(cluster, "the TLS settings cannot be used: " + RootCause.describe(e));
        }
    }

    /** The CAs: the caCertificates file, else the credential's ca.crt, else the JVM's trusted CAs (null). */
    private static List<X509Certificate> trustedCas(ClientTls tls, TlsCredential credential, Cluster cluster) {
        String pem;
        String from;
        if (tls.caCertificates() != null) {
            try {
                pem = Files.readString(Path.of(tls.caCertificates()));
            } catch (IOException e) {
                throw unavailable(cluster, "cannot read tls.caCertificates " + tls.caCertificates() + " ("
                        + e.getClass().getSimpleName() + ")");
            }
            from = "tls.caCertificates " + tls.caCertificates();
        } else if (credential != null && credential.caCertificatesPem() != null) {
            pem = credential.caCertificatesPem();
            from = "ca.crt of the credential " + tls.credentialName();
        } else {
            return null;
        }
        List<X509Certificate> cas = Pem.certificates(pem);
        if (cas.isEmpty()) {
            throw unavailable(cluster, from + " holds no PEM certificate");
        }
        return cas;
    }

    private static X509TrustManager chainVerifier(List<X509Certificate> cas) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (cas == null) {
            factory.init((KeyStore) null);
        } else {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            factory.init(store);
        }
        for (var manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X.509 trust manager in " + factory.getAlgorithm());
    }

    private static OriginationUnavailable unavailable(Cluster cluster, String reason) {
        return new OriginationUnavailable("TLS to " + cluster.host() + " (" + cluster.name() + ") cannot be originated: "
                + reason + "; nothing was sent");
    }

}
