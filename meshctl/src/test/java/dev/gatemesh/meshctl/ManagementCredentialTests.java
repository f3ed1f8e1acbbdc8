package dev.gatemesh.meshctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where meshctl finds the config server's management credential, in order. */
class ManagementCredentialTests {

    @TempDir
    Path home;
    @TempDir
    Path user;

    @Test
    void theEnvironmentVariableWins() throws Exception {
        Files.createDirectories(home.resolve("config-server"));
        Files.writeString(home.resolve("config-server/management-token"), "from-file\n");

        assertThat(ManagementCredential.find(home, Map.of("GATEMESH_MANAGEMENT_TOKEN", " from-env "), user))
                .contains("from-env");
    }

    @Test
    void aLocalMeshsHomeComesBeforeAServersHomeAndTheDefaultHome() throws Exception {
        Files.createDirectories(user.resolve(".gatemesh"));
        Files.writeString(user.resolve(".gatemesh/management-token"), "default-home\n");
        assertThat(ManagementCredential.find(home, Map.of(), user)).contains("default-home");

        Files.writeString(home.resolve("management-token"), "server-home\n");
        assertThat(ManagementCredential.find(home, Map.of(), user)).contains("server-home");

        Files.createDirectories(home.resolve("config-server"));
        Files.writeString(home.resolve("config-server/management-token"), "local-mesh\n");
        assertThat(ManagementCredential.find(home, Map.of(), user)).contains("local-mesh");
    }

    @Test
    void noCredentialAnywhereIsNone() {
        assertThat(ManagementCredential.find(home, Map.of("GATEMESH_MANAGEMENT_TOKEN", " "), user)).isEmpty();
    }
}
