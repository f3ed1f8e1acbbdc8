package dev.gatemesh.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The nginx pair's certificates, made with the openssl command line: a root, and for each side an EC P-256
 * key and a certificate with a SPIFFE URI SAN and a DNS SAN (nginx verifies upstream names by DNS).
 */
final class OpensslPki {

    final Path root;

    private final Path folder;

    private OpensslPki(Path folder) {
        this.folder = folder;
        this.root = folder.resolve("root.pem");
    }

    static OpensslPki create(Path folder) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        OpensslPki pki = new OpensslPki(folder);
        run(folder, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "root.key", "-out", "root.pem", "-days", "2", "-subj", "/O=bench/CN=bench root");
        return pki;
    }

    /** Issues {@code <name>.pem} and {@code <name>.key} for {@code spiffe://cluster.local/ns/bench/sa/<name>}. */
    Path issue(String name) throws IOException, InterruptedException {
        Files.writeString(folder.resolve(name + ".ext"), "subjectAltName=URI:spiffe://cluster.local/ns/bench/sa/" + name
                + ",DNS:" + name + ".bench\n");
        run(folder, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                name + ".key", "-out", name + ".csr", "-subj", "/O=bench/CN=" + name);
        run(folder, "openssl", "x509", "-req", "-in", name + ".csr", "-CA", "root.pem", "-CAkey", "root.key",
                "-CAcreateserial", "-days", "2", "-out", name + ".pem", "-extfile", name + ".ext");
        return folder.resolve(name + ".pem");
    }

    /** Issues {@code <name>.pem} and {@code <name>.key}, a server certificate for the DNS names {@code hosts}. */
    Path issueServer(String name, String... hosts) throws IOException, InterruptedException {
        Files.writeString(folder.resolve(name + ".ext"), "subjectAltName=DNS:" + String.join(",DNS:", hosts)
                + "\nextendedKeyUsage=serverAuth\n");
        run(folder, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                name + ".key", "-out", name + ".csr", "-subj", "/O=bench/CN=" + hosts[0]);
        run(folder, "openssl", "x509", "-req", "-in", name + ".csr", "-CA", "root.pem", "-CAkey", "root.key",
                "-CAcreateserial", "-days", "2", "-out", name + ".pem", "-extfile", name + ".ext");
        return folder.resolve(name + ".pem");
    }

    Path key(String name) {
        return folder.resolve(name + ".key");
    }

    private static void run(Path folder, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).directory(folder.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
