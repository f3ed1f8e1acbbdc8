package dev.gatemesh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A config server with an unusable injection setting does not start, and says which setting and why. */
@ExtendWith(OutputCaptureExtension.class)
class InjectionSettingsIntegrationTests {

    @TempDir
    Path folder;

    @Test
    void anUnknownRedirectModeStopsTheStartNamingTheSetting(CapturedOutput output) throws Exception {
        Files.createDirectories(folder.resolve("mesh"));

        assertThatThrownBy(() -> RunningConfigServer.withSettings(folder.resolve("mesh"), folder.resolve("home"),
                "--gatemesh.server.injection.redirect=ebpf")).isNotNull();

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START",
                "The sidecar injector's settings cannot be used: gatemesh.server.injection.redirect: \"ebpf\" is not a "
                        + "redirect mode; expected iptables or http-proxy.");
    }
}
