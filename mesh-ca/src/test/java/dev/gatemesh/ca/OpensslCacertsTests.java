package dev.gatemesh.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.ca.pki.CertificateRequests;
import dev.gatemesh.ca.pki.KeyPairs;
import dev.gatemesh.ca.pki.SpiffeId;
import dev.gatemesh.ca.policy.SigningPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugged-in CA made the way operators make one for Istio (openssl: a root, an intermediate with
 * {@code CA:TRUE}, the cacerts layout with the chain up to the root), RSA as Istio's samples make it
 * and EC with a SEC1 key: loaded, signing workload certificates that verify to the root.
 */
class OpensslCacertsTests {

    private static final SpiffeId REVIEWS = new SpiffeId("cluster.local", "bookinfo", "bookinfo-reviews");

    @TempDir
    Path folder;

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl %s: %s", String.join(" ", args), output).isZero();
    }

    private void newKey(String algorithm, String file) throws Exception {
        if (algorithm.equals("rsa")) {
            openssl("genrsa", "-out", file, "2048");
        } else {
            openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", file); // SEC1 "EC PRIVATE KEY"
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ec"})
    void anOpensslIntermediateInTheCacertsLayoutSignsCertificatesThatVerifyToTheRoot(String algorithm) throws Exception {
        Files.writeString(folder.resolve("ca.ext"), """
                basicConstraints = critical, CA:TRUE, pathlen:0
                keyUsage = critical, digitalSignature, keyCertSign, cRLSign
                subjectKeyIdentifier = hash
                authorityKeyIdentifier = keyid:always
                """);
        newKey(algorithm, "root-key.pem");
        openssl("req", "-x509", "-new", "-key", "root-key.pem", "-sha256", "-days", "3650", "-subj", "/O=Istio/CN=Root CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-out", "root-cert.pem");
        newKey(algorithm, "ca-key.pem");
        openssl("req", "-new", "-key", "ca-key.pem", "-subj", "/O=Istio/CN=Intermediate CA/L=cluster1", "-out", "ca.csr");
        openssl("x509", "-req", "-in", "ca.csr", "-CA", "root-cert.pem", "-CAkey", "root-key.pem", "-CAcreateserial",
                "-days", "730", "-sha256", "-extfile", "ca.ext", "-out", "ca-cert.pem");
        Files.writeString(folder.resolve("cert-chain.pem"),
                Files.readString(folder.resolve("ca-cert.pem")) + Files.readString(folder.resolve("root-cert.pem")));

        CaMaterial material = CaMaterial.load(folder);
        var ca = new CertificateAuthority(material, SigningPolicy.defaults("cluster.local"), Clock.systemUTC(), new SecureRandom());
        IssuedCertificate issued = ca.sign(CertificateRequests.build(KeyPairs.generateP256(new SecureRandom()), REVIEWS), REVIEWS,
                null);

        assertThat(issued.chain()).hasSize(2);
        assertThat(issued.chain().get(1).getSubjectX500Principal().getName()).contains("CN=Intermediate CA");
        assertThat(material.trustBundle().verify(issued.chain(), Instant.now(), "cluster.local")).isEqualTo(REVIEWS);
        assertThat(issued.leaf().getSigAlgName()).isEqualTo(algorithm.equals("rsa") ? "SHA256withRSA" : "SHA256withECDSA");
    }
}
