package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.credentials.TlsCredential;
import dev.gatemesh.ca.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a credential's PEM text before it is put in force, so that a server never gets a key that cannot
 * complete a handshake: the chain parses, the key parses (PKCS#8, PKCS#1 RSA or SEC1 EC) and belongs to the
 * first certificate, the client CAs (when given) parse. Every problem names where the text came from
 * ({@link Origins}) and what was expected; no problem ever quotes key material.
 */
public final class CredentialValidator {

    private static final byte[] CHALLENGE = "gatemesh credential key check".getBytes(StandardCharsets.US_ASCII);

    private CredentialValidator() {
    }

    /**
     * Where each part of a credential was read, as messages should name it.
     *
     * @param certificateChain e.g. {@code /home/me/.gatemesh/credentials/web/tls.crt} or {@code Secret ns/web key tls.crt}
     * @param privateKey       likewise for the key
     * @param caCertificates   likewise for the client CAs (may be null when there are none)
     */
    public record Origins(String certificateChain, String privateKey, String caCertificates) {
    }

    /** Every problem with the credential; empty when it can be used. */
    public static List<String> validate(TlsCredential credential, Origins origins) {
        List<String> problems = new ArrayList<>();
        List<X509Certificate> chain = certificates(credential.certificateChainPem(), origins.certificateChain(),
                "the server certificate chain", problems);
        PrivateKey key = privateKey(credential.privateKeyPem(), origins.privateKey(), problems);
        if (!chain.isEmpty() && key != null) {
            checkKeyMatches(key, chain.get(0), origins, problems);
        }
        if (credential.caCertificatesPem() != null) {
            certificates(credential.caCertificatesPem(), origins.caCertificates(), "the client CA certificates", problems);
        }
        return List.copyOf(problems);
    }

    private static List<X509Certificate> certificates(String pem, String origin, String expected, List<String> problems) {
        if (pem == null || pem.isBlank()) {
            problems.add(origin + ": missing or empty; expected " + expected + " (PEM \"CERTIFICATE\" blocks)");
            return List.of();
        }
        try {
            List<X509Certificate> certificates = Pem.certificates(pem);
            if (certificates.isEmpty()) {
                problems.add(origin + ": no certificate found; expected " + expected + " (PEM \"CERTIFICATE\" blocks)");
            }
            return certificates;
        } catch (IllegalArgumentException e) {
            problems.add(origin + ": not readable as PEM certificates ("
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()) + "); expected " + expected);
            return List.of();
        }
    }

    private static PrivateKey privateKey(String pem, String origin, List<String> problems) {
        String expected = "an unencrypted PEM private key (\"PRIVATE KEY\", \"RSA PRIVATE KEY\" or \"EC PRIVATE KEY\")";
        if (pem == null || pem.isBlank()) {
            problems.add(origin + ": missing or empty; expected " + expected);
            return null;
        }
        try {
            return Pem.privateKey(pem);
        } catch (RuntimeException e) {
            // The parser's message may quote the input: it is not repeated.
            problems.add(origin + ": not a private key; expected " + expected);
            return null;
        }
    }

    private static void checkKeyMatches(PrivateKey key, X509Certificate certificate, Origins origins, List<String> problems) {
        PublicKey publicKey = certificate.getPublicKey();
        String subject = certificate.getSubjectX500Principal().getName();
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            problems.add(origins.privateKey() + ": is an " + key.getAlgorithm() + " key but the certificate in "
                    + origins.certificateChain() + " (" + subject + ") has an " + publicKey.getAlgorithm()
                    + " public key; expected the private key of that certificate");
            return;
        }
        if (!signsFor(key, publicKey)) {
            problems.add(origins.privateKey() + ": does not match the public key of the first certificate in "
                    + origins.certificateChain() + " (" + subject + "); expected the private key of that certificate"
                    + " (were the certificate and the key updated together?)");
        }
    }

    private static boolean signsFor(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> "SHA256with" + key.getAlgorithm();
        };
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(CHALLENGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(CHALLENGE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
