package dev.gatemesh.proxy.gateway;

import dev.gatemesh.proxy.credentials.TlsCredential;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCredentialSourceTests {

    @TempDir
    Path folder;

    private FileCredentialSource source;

    @AfterEach
    void close() {
        if (source != null) {
            source.close();
        }
    }

    private FileCredentialSource start() {
        source = new FileCredentialSource(folder, Duration.ofMillis(50), Duration.ofSeconds(2)).start();
        return source;
    }

    private void write(String directory, String file, String text) throws IOException {
        Files.createDirectories(folder.resolve(directory));
        Files.writeString(folder.resolve(directory).resolve(file), text);
    }

    private void writeCredential(String name, TestCredentials credentials) throws IOException {
        write(name, "tls.crt", credentials.certificatePem());
        write(name, "tls.key", credentials.pkcs8KeyPem());
    }

    @Test
    void picksUpANewCredentialAndARotatedOne() throws IOException {
        AtomicInteger changes = new AtomicInteger();
        start().onChange(changes::incrementAndGet);
        assertThat(source.get("web")).isNull();
        assertThat(source.describe()).isEqualTo("files in " + folder.toAbsolutePath().normalize());

        TestCredentials first = TestCredentials.ec("web.example.com");
        writeCredential("web", first);
        await().until(() -> changes.get() > 0 && source.get("web") != null
                && first.certificatePem().equals(source.get("web").certificateChainPem()));
        TlsCredential installed = source.get("web");
        assertThat(installed.caCertificatesPem()).isNull();
        assertThat(installed.toString()).doesNotContain("PRIVATE");
        int changesAfterFirst = changes.get();

        TestCredentials rotated = TestCredentials.rsa("web.example.com");
        write("web", "tls.crt", rotated.certificatePem());
        write("web", "tls.key", rotated.traditionalKeyPem());
        await().until(() -> changes.get() > changesAfterFirst
                && rotated.certificatePem().equals(source.get("web").certificateChainPem()));
        assertThat(source.get("web").version()).isNotEqualTo(installed.version());
        assertThat(source.get("web").privateKeyPem()).isEqualTo(rotated.traditionalKeyPem());
        assertThat(source.rejected()).isEmpty();
    }

    @Test
    void doesNotCreateAMissingFolderAndSeesItWhenItAppears() throws IOException {
        Path missing = folder.resolve("credentials");
        // a rescan too rare to matter: the folder must be seen through the watch on its parent
        source = new FileCredentialSource(missing, Duration.ofMillis(50), Duration.ofMinutes(10)).start();
        assertThat(missing).doesNotExist();
        TestCredentials credentials = TestCredentials.ec("web.example.com");
        Path staging = Files.createDirectories(folder.resolve(".staging").resolve("web"));
        Files.writeString(staging.resolve("tls.crt"), credentials.certificatePem());
        Files.writeString(staging.resolve("tls.key"), credentials.pkcs8KeyPem());
        Files.move(staging.getParent(), missing, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        await().until(() -> source.get("web") != null);
        assertThat(source.get("web").certificateChainPem()).isEqualTo(credentials.certificatePem());
    }

    @Test
    void readsTheCredentialsPresentAtStart() throws IOException {
        TestCredentials credentials = TestCredentials.ec("web.example.com");
        writeCredential("web", credentials);
        assertThat(start().get("web").certificateChainPem()).isEqualTo(credentials.certificatePem());
        assertThat(source.get("web").version()).isEqualTo(FileCredentialSource.contentHash(
                credentials.certificatePem(), credentials.pkcs8KeyPem(), null));
    }

    @Test
    void refusesAKeyThatDoesNotMatchAndKeepsTheLastGood() throws IOException {
        TestCredentials good = TestCredentials.ec("web.example.com");
        writeCredential("web", good);
        TlsCredential lastGood = start().get("web");

        write("web", "tls.key", TestCredentials.ec("web.example.com").pkcs8KeyPem());
        Path key = folder.resolve("web").resolve("tls.key").toAbsolutePath().normalize();
        await().until(() -> source.rejected().containsKey("web"));
        assertThat(source.rejected().get("web")).containsExactly(key + ": does not match the public key of the first"
                + " certificate in " + folder.resolve("web").resolve("tls.crt").toAbsolutePath().normalize()
                + " (CN=web.example.com); expected the private key of that certificate"
                + " (were the certificate and the key updated together?)");
        assertThat(source.get("web")).isEqualTo(lastGood);
    }

    @Test
    void aCertificateWrittenBeforeItsKeyIsNotPublishedUntilTheKeyFollows() throws IOException {
        TestCredentials good = TestCredentials.ec("web.example.com");
        writeCredential("web", good);
        TlsCredential lastGood = start().get("web");
        AtomicInteger changes = new AtomicInteger();
        source.onChange(changes::incrementAndGet);

        TestCredentials next = TestCredentials.ec("web.example.com");
        write("web", "tls.crt", next.certificatePem());
        source.scan();
        assertThat(source.get("web")).isEqualTo(lastGood);
        assertThat(source.rejected()).containsKey("web");
        assertThat(changes.get()).isZero();

        write("web", "tls.key", next.pkcs8KeyPem());
        source.scan();
        assertThat(source.get("web").certificateChainPem()).isEqualTo(next.certificatePem());
        assertThat(source.rejected()).isEmpty();
        assertThat(changes.get()).isEqualTo(1);
    }

    @Test
    void takesClientCasFromTheCacertCompanionDirectory() throws IOException {
        TestCredentials server = TestCredentials.ec("web.example.com");
        TestCredentials clientCa = TestCredentials.ec("clients");
        writeCredential("web", server);
        write("web-cacert", "ca.crt", clientCa.certificatePem());
        start();
        assertThat(source.get("web").caCertificatesPem()).isEqualTo(clientCa.certificatePem());
        assertThat(source.get("web-cacert")).isNull();
        String version = source.get("web").version();

        TestCredentials otherCa = TestCredentials.ec("other clients");
        write("web-cacert", "ca.crt", otherCa.certificatePem());
        await().until(() -> otherCa.certificatePem().equals(source.get("web").caCertificatesPem()));
        assertThat(source.get("web").version()).isNotEqualTo(version);
    }

    @Test
    void prefersTheClientCasInTheCredentialDirectory() throws IOException {
        TestCredentials inline = TestCredentials.ec("inline clients");
        writeCredential("web", TestCredentials.ec("web.example.com"));
        write("web", "ca.crt", inline.certificatePem());
        write("web-cacert", "ca.crt", TestCredentials.ec("companion clients").certificatePem());
        assertThat(start().get("web").caCertificatesPem()).isEqualTo(inline.certificatePem());
    }

    @Test
    void aDeletedCredentialIsGone() throws IOException {
        writeCredential("web", TestCredentials.ec("web.example.com"));
        writeCredential("api", TestCredentials.ec("api.example.com"));
        start();
        assertThat(source.get("web")).isNotNull();

        Files.delete(folder.resolve("web").resolve("tls.crt"));
        Files.delete(folder.resolve("web").resolve("tls.key"));
        Files.delete(folder.resolve("web"));
        await().until(() -> source.get("web") == null);
        assertThat(source.get("api")).isNotNull();
    }

    @Test
    void aMissingKeyIsReportedWithItsPath() throws IOException {
        write("web", "tls.crt", TestCredentials.ec("web.example.com").certificatePem());
        start();
        assertThat(source.get("web")).isNull();
        assertThat(source.rejected().get("web")).containsExactly(folder.resolve("web").resolve("tls.key").toAbsolutePath()
                .normalize() + ": missing; expected the PEM private key of tls.crt");
    }
}
