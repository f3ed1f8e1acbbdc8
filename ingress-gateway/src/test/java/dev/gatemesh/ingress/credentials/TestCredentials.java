package dev.gatemesh.ingress.credentials;

import dev.gatemesh.ca.pki.Pem;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Self-signed server certificates and their keys, in the PEM forms credentials come in. */
record TestCredentials(X509Certificate certificate, PrivateKey key) {

    private static final AtomicLong SERIAL = new AtomicLong(1);

    static TestCredentials ec(String host) {
        return selfSigned(host, "EC", 256, "SHA256withECDSA");
    }

    static TestCredentials rsa(String host) {
        return selfSigned(host, "RSA", 2048, "SHA256withRSA");
    }

    private static TestCredentials selfSigned(String host, String algorithm, int size, String signature) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(size);
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            X500Name subject = new X500Name("CN=" + host);
            var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(SERIAL.getAndIncrement()),
                    Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), subject, keys.getPublic());
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
            return new TestCredentials(certificate, keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String certificatePem() {
        return Pem.encode(certificate);
    }

    /** PKCS#8: "PRIVATE KEY". */
    String pkcs8KeyPem() {
        return Pem.encodePrivateKey(key);
    }

    /** The traditional OpenSSL form: "RSA PRIVATE KEY" (PKCS#1) or "EC PRIVATE KEY" (SEC1, with its curve as OpenSSL writes it). */
    String traditionalKeyPem() {
        if (!(key instanceof ECPrivateKey ec)) {
            return Pem.encode(key);
        }
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(ec.getParams().getOrder().bitLength(), ec.getS(),
                    info.getPrivateKeyAlgorithm().getParameters());
            return Pem.encode(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
