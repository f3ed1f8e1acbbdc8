package dev.gatemesh.ca.pki;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** PKCS#10 certificate signing requests: built by proxies, read and checked by the CA. */
public final class CertificateRequests {

    private CertificateRequests() {
    }

    /** What the CA reads from a CSR. {@code signatureValid} says the requester holds the key. */
    public record Parsed(PublicKey publicKey, List<String> uriSans, List<String> otherSans, boolean signatureValid) {
    }

    /** A CSR for the given identity, signed with the key pair's private key (which stays with the caller). */
    public static String build(KeyPair keys, SpiffeId identity) {
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, true,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, identity.toString())));
            var request = new JcaPKCS10CertificationRequestBuilder(new X500Name(""), keys.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            return Pem.encode(request);
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot build a CSR", e);
        }
    }

    /**
     * Reads a PEM CSR.
     *
     * @throws IllegalArgumentException when the text is not a CSR
     */
    public static Parsed parse(String pem) {
        PKCS10CertificationRequest request;
        try (PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem))) {
            Object object = parser.readObject();
            if (!(object instanceof PKCS10CertificationRequest csr)) {
                throw new IllegalArgumentException("the text is not a PEM certificate signing request");
            }
            request = csr;
        } catch (IOException e) {
            throw new IllegalArgumentException("the text is not a PEM certificate signing request: " + e.getMessage());
        }
        try {
            PublicKey publicKey = new JcaPKCS10CertificationRequest(request).getPublicKey();
            boolean valid;
            try {
                valid = request.isSignatureValid(Signatures.verifier(request.getSubjectPublicKeyInfo(), publicKey));
            } catch (PKCSException | OperatorCreationException e) {
                valid = false;
            }
            List<String> uris = new ArrayList<>();
            List<String> others = new ArrayList<>();
            for (var attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
                Extensions extensions = Extensions.getInstance(attribute.getAttrValues().getObjectAt(0));
                GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
                if (names == null) {
                    continue;
                }
                for (GeneralName name : names.getNames()) {
                    if (name.getTagNo() == GeneralName.uniformResourceIdentifier) {
                        uris.add(name.getName().toString());
                    } else {
                        others.add(name.toString());
                    }
                }
            }
            return new Parsed(publicKey, uris, others, valid);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("the certificate signing request cannot be read: " + e.getMessage());
        }
    }
}
