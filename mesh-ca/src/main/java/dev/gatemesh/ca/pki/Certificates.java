package dev.gatemesh.ca.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/** Builds the mesh's certificates: self-signed roots, and SPIFFE leaf certificates (X.509-SVIDs). */
public final class Certificates {

    private static final int URI_SAN = 6;

    private Certificates() {
    }

    /** A self-signed CA certificate (a mesh root), valid from {@code notBefore} to {@code notAfter}. */
    public static X509Certificate selfSignedCa(KeyPair keys, String trustDomain, Instant notBefore, Instant notAfter,
                                               SecureRandom random) {
        X500Name subject = new X500Name("O=" + trustDomain + ",CN=Gatemesh root CA");
        try {
            var builder = new JcaX509v3CertificateBuilder(subject, serial(random), Date.from(notBefore), Date.from(notAfter),
                    subject, keys.getPublic());
            var utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(builder, keys.getPrivate());
        } catch (GeneralSecurityException | org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("cannot build the root certificate", e);
        }
    }

    /** An intermediate CA certificate signed by {@code issuer} (for plugged-in CAs: Istio's cacerts layout). */
    public static X509Certificate intermediateCa(X509Certificate issuer, PrivateKey issuerKey, PublicKey subjectKey,
                                                 String commonName, Instant notBefore, Instant notAfter, SecureRandom random) {
        try {
            var builder = new JcaX509v3CertificateBuilder(issuer, serial(random), Date.from(notBefore), Date.from(notAfter),
                    new X500Name("CN=" + commonName), subjectKey);
            var utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
            return sign(builder, issuerKey);
        } catch (GeneralSecurityException | org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("cannot build the intermediate certificate", e);
        }
    }

    /** A leaf certificate whose only subject alternative name is the SPIFFE ID. */
    public static X509Certificate leaf(X509Certificate issuer, PrivateKey issuerKey, PublicKey subjectKey, SpiffeId identity,
                                       Instant notBefore, Instant notAfter, BigInteger serial) {
        return leaf(issuer, issuerKey, subjectKey, identity, List.of(), notBefore, notAfter, serial);
    }

    /**
     * A leaf certificate for the SPIFFE ID that also names the hosts it serves (DNS names, or IP
     * addresses given as literals), so that ordinary TLS clients can verify it by host name too.
     */
    public static X509Certificate leaf(X509Certificate issuer, PrivateKey issuerKey, PublicKey subjectKey, SpiffeId identity,
                                       List<String> hostNames, Instant notBefore, Instant notAfter, BigInteger serial) {
        try {
            var builder = new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore), Date.from(notAfter),
                    new X500Name(""), subjectKey);
            var utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            List<GeneralName> names = new ArrayList<>();
            names.add(new GeneralName(GeneralName.uniformResourceIdentifier, identity.toString()));
            for (String host : hostNames) {
                names.add(new GeneralName(isIpLiteral(host) ? GeneralName.iPAddress : GeneralName.dNSName, host));
            }
            builder.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
            return sign(builder, issuerKey);
        } catch (GeneralSecurityException | org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("cannot build the certificate for " + identity, e);
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(Signatures.signer(key)));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** A positive random 128-bit serial number. */
    public static BigInteger serial(SecureRandom random) {
        return new BigInteger(128, random).setBit(127);
    }

    /** The SPIFFE ID of a certificate: its only URI subject alternative name of the spiffe form. */
    public static Optional<SpiffeId> spiffeIdOf(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return Optional.empty();
            }
            List<String> uris = names.stream().filter(n -> (Integer) n.get(0) == URI_SAN).map(n -> (String) n.get(1))
                    .filter(uri -> uri.startsWith("spiffe://")).toList();
            return uris.size() == 1 ? Optional.of(SpiffeId.parse(uris.get(0))) : Optional.empty();
        } catch (CertificateParsingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
