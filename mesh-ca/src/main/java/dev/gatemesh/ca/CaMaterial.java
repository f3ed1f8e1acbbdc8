package dev.gatemesh.ca;

import dev.gatemesh.ca.pki.Certificates;
import dev.gatemesh.ca.pki.KeyPairs;
import dev.gatemesh.ca.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CA's signing material in Istio's {@code cacerts} layout: {@code ca-cert.pem} (the signing
 * certificate, an intermediate or the root itself), {@code ca-key.pem} (its key), {@code cert-chain.pem}
 * (from the signing certificate up to the root) and {@code root-cert.pem} (the roots to trust, several
 * during a rotation). Either plugged in by the operator or generated on first start: a self-signed
 * root valid for 10 years.
 *
 * @param chain the signing certificate and the intermediates above it, without the root
 */
public record CaMaterial(X509Certificate signingCertificate, PrivateKey signingKey, List<X509Certificate> chain,
                         TrustBundle trustBundle) {

    public static final String CA_CERT = "ca-cert.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String CERT_CHAIN = "cert-chain.pem";
    public static final String ROOT_CERT = "root-cert.pem";
    public static final Duration ROOT_VALIDITY = Duration.ofDays(3650);

    public CaMaterial {
        chain = List.copyOf(chain);
    }

    /** A new self-signed root, valid for 10 years from now. */
    public static CaMaterial selfSigned(String trustDomain, Clock clock, SecureRandom random) {
        KeyPair keys = KeyPairs.generateP256(random);
        Instant now = clock.instant();
        X509Certificate root = Certificates.selfSignedCa(keys, trustDomain, now.minus(Duration.ofMinutes(1)),
                now.plus(ROOT_VALIDITY), random);
        return new CaMaterial(root, keys.getPrivate(), List.of(), new TrustBundle(List.of(root)));
    }

    /** Reads the cacerts layout from a folder, checking that the pieces belong together. */
    public static CaMaterial load(Path folder) {
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : List.of(CA_CERT, CA_KEY, CERT_CHAIN, ROOT_CERT)) {
            if (Files.exists(folder.resolve(name))) {
                files.put(name, read(folder, name));
            }
        }
        return fromPem(files, folder.toString());
    }

    /**
     * Reads the cacerts layout from PEM texts by file name (as a Kubernetes Secret holds them).
     *
     * @param where names the source in error messages: a folder, or a Secret
     */
    public static CaMaterial fromPem(Map<String, String> files, String where) {
        X509Certificate signing = single(files, CA_CERT, where);
        PrivateKey key = Pem.privateKey(required(files, CA_KEY, where));
        TrustBundle roots = TrustBundle.fromPem(required(files, ROOT_CERT, where));
        List<X509Certificate> chain = new ArrayList<>();
        if (files.containsKey(CERT_CHAIN)) {
            for (X509Certificate cert : Pem.certificates(files.get(CERT_CHAIN))) {
                if (!roots.roots().contains(cert)) {
                    chain.add(cert);
                }
            }
        }
        if (chain.isEmpty() || !chain.get(0).equals(signing)) {
            chain.add(0, signing);
        }
        if (roots.roots().contains(signing)) {
            chain.remove(signing);
        }
        CaMaterial material = new CaMaterial(signing, key, chain, roots);
        material.check(where);
        return material;
    }

    /** The cacerts layout as PEM texts by file name. */
    public Map<String, String> toPem() {
        List<X509Certificate> fullChain = new ArrayList<>(chain);
        fullChain.addAll(trustBundle.roots());
        Map<String, String> files = new LinkedHashMap<>();
        files.put(CA_CERT, Pem.encode(signingCertificate));
        files.put(CA_KEY, Pem.encodePrivateKey(signingKey));
        files.put(CERT_CHAIN, Pem.encodeCertificates(fullChain));
        files.put(ROOT_CERT, trustBundle.pem());
        return files;
    }

    /** Loads the folder when it holds a CA, otherwise generates a root and writes it there. */
    public static CaMaterial loadOrCreate(Path folder, String trustDomain, Clock clock, SecureRandom random) {
        if (Files.exists(folder.resolve(CA_CERT))) {
            return load(folder);
        }
        CaMaterial material = selfSigned(trustDomain, clock, random);
        material.write(folder);
        return material;
    }

    /** Writes the cacerts layout; the key file is readable by its owner only. */
    public void write(Path folder) {
        try {
            Files.createDirectories(folder);
            Path keyFile = folder.resolve(CA_KEY);
            Files.deleteIfExists(keyFile);
            Files.createFile(keyFile);
            try {
                Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            for (var file : toPem().entrySet()) {
                Files.writeString(folder.resolve(file.getKey()), file.getValue(), StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CA to " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The key signs what the certificate's key verifies; the certificate is a CA; the chain reaches a root. */
    private void check(String where) {
        try {
            byte[] probe = "gatemesh".getBytes(StandardCharsets.US_ASCII);
            String algorithm = signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(signingKey);
            signer.update(probe);
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(signingCertificate.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(signer.sign())) {
                throw new IllegalArgumentException(where + ": " + CA_KEY + " is not the key of " + CA_CERT);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(where + ": " + CA_KEY + " is not the key of " + CA_CERT + ": "
                    + e.getMessage(), e);
        }
        if (signingCertificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException(where + ": " + CA_CERT + " is not a CA certificate (basicConstraints CA:FALSE)");
        }
        try {
            List<X509Certificate> path = chain.isEmpty() ? List.of(signingCertificate) : chain;
            var anchors = new java.util.HashSet<java.security.cert.TrustAnchor>();
            trustBundle.roots().forEach(r -> anchors.add(new java.security.cert.TrustAnchor(r, null)));
            var parameters = new java.security.cert.PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            if (!trustBundle.roots().contains(signingCertificate)) {
                java.security.cert.CertPathValidator.getInstance("PKIX").validate(
                        java.security.cert.CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(where + ": " + CERT_CHAIN + " does not lead from " + CA_CERT + " to a root in "
                    + ROOT_CERT + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate single(Map<String, String> files, String name, String where) {
        List<X509Certificate> certificates = Pem.certificates(required(files, name, where));
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + name + " holds no certificate");
        }
        return certificates.get(0);
    }

    private static String required(Map<String, String> files, String name, String where) {
        String text = files.get(name);
        if (text == null) {
            throw new IllegalArgumentException(where + ": " + name + " is missing (the cacerts layout needs "
                    + String.join(", ", List.of(CA_CERT, CA_KEY, ROOT_CERT)) + ", and optionally " + CERT_CHAIN + ")");
        }
        return text;
    }

    private static String read(Path folder, String name) {
        try {
            return Files.readString(folder.resolve(name), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + folder.resolve(name) + ": " + e.getMessage(), e);
        }
    }
}
