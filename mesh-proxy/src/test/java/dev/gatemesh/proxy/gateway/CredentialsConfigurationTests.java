package dev.gatemesh.proxy.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.proxy.credentials.CredentialSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class CredentialsConfigurationTests {

    @TempDir
    Path folder;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(CredentialsConfiguration.class);

    @Test
    void filesAreTheDefaultSource() {
        runner.withPropertyValues("gatemesh.gateway.credentials.folder=" + folder).run(context -> {
            assertThat(context).hasSingleBean(CredentialSource.class);
            assertThat(context.getBean(CredentialSource.class)).isInstanceOf(FileCredentialSource.class);
            assertThat(context.getBean(CredentialSource.class).describe()).isEqualTo("files in " + folder.toAbsolutePath().normalize());
        });
    }

    @Test
    void theDefaultsAreTheHomeFolderAndShortRereads() {
        CredentialsProperties defaults = new CredentialsProperties(CredentialsProperties.Source.FILES, null,
                Duration.ofMillis(200), Duration.ofSeconds(30), null);
        assertThat(defaults.folder()).isEqualTo(Path.of(System.getProperty("user.home"), ".gatemesh", "credentials"));
    }

    @Test
    void theNamespaceIsConfiguredOrThePodsOrTheProxys() throws IOException {
        Path podFile = folder.resolve("namespace");
        CredentialsProperties unset = new CredentialsProperties(CredentialsProperties.Source.KUBERNETES, null,
                Duration.ofMillis(200), Duration.ofSeconds(30), null);
        CredentialsProperties set = new CredentialsProperties(CredentialsProperties.Source.KUBERNETES, null,
                Duration.ofMillis(200), Duration.ofSeconds(30), "istio-ingress");

        assertThat(CredentialsConfiguration.namespace(unset, podFile, "bookinfo")).isEqualTo("bookinfo");
        Files.writeString(podFile, "gatemesh-system\n");
        assertThat(CredentialsConfiguration.namespace(unset, podFile, "bookinfo")).isEqualTo("gatemesh-system");
        assertThat(CredentialsConfiguration.namespace(set, podFile, "bookinfo")).isEqualTo("istio-ingress");
    }
}
