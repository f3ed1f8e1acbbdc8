package dev.gatemesh.server;

import dev.gatemesh.ca.pki.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates as an operator brings them to the edge: a CA of their own, server certificates for public
 * host names and client certificates, written as Istio credentials ({@code tls.crt}, {@code tls.key},
 * {@code ca.crt}).
 */
record EdgeCertificates(X509Certificate certificate, PrivateKey key) {

    private static final AtomicLong SERIAL = new AtomicLong(1);

    static EdgeCertificates authority(String name) {
        return issue(null, name, null, true);
    }

    /** A certificate for {@code dnsName} (server) or for a client named so, issued by this authority. */
    EdgeCertificates issue(String dnsName) {
        return issue(this, dnsName, dnsName, false);
    }

    private static EdgeCertificates issue(EdgeCertificates issuer, String commonName, String dnsName, boolean ca) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            X500Name subject = new X500Name("CN=" + commonName);
            X500Name issuerName = issuer == null ? subject : new X500Name(issuer.certificate.getSubjectX500Principal().getName());
            var builder = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(SERIAL.getAndIncrement()),
                    Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (dnsName != null) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
            }
            PrivateKey signer = issuer == null ? keys.getPrivate() : issuer.key;
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
            return new EdgeCertificates(certificate, keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code <folder>/<name>/tls.crt}, {@code tls.key} and, when given, {@code ca.crt}. */
    void writeCredential(Path folder, String name, EdgeCertificates clientCa) throws IOException {
        Path directory = Files.createDirectories(folder.resolve(name));
        // The key first: the source refuses a certificate whose key is not there yet, and keeps the last good pair.
        Files.writeString(directory.resolve("tls.key"), Pem.encodePrivateKey(key));
        Files.writeString(directory.resolve("tls.crt"), Pem.encode(certificate));
        if (clientCa != null) {
            Files.writeString(directory.resolve("ca.crt"), Pem.encode(clientCa.certificate));
        }
    }
}
