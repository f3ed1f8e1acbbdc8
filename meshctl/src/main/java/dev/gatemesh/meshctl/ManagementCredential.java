package dev.gatemesh.meshctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The credential of the config server's management port, as meshctl finds it: {@code $GATEMESH_MANAGEMENT_TOKEN},
 * else the file {@value #FILE_NAME} the server writes into its home, readable by its user only: in the local
 * mesh's home ({@code <home>/config-server/}), in {@code <home>} itself (a server started with that home), or in
 * a standalone server's default home ({@code ~/.gatemesh}).
 */
final class ManagementCredential {

    static final String FILE_NAME = "management-token";
    static final String ENV = "GATEMESH_MANAGEMENT_TOKEN";

    private ManagementCredential() {
    }

    static Optional<String> find(Path home, Map<String, String> env, Path userHome) {
        String configured = env.get(ENV);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(configured.trim());
        }
        for (Path file : List.of(home.resolve("config-server").resolve(FILE_NAME), home.resolve(FILE_NAME),
                userHome.resolve(".gatemesh").resolve(FILE_NAME))) {
            try {
                if (Files.isReadable(file)) {
                    String token = Files.readString(file, StandardCharsets.UTF_8).trim();
                    if (!token.isEmpty()) {
                        return Optional.of(token);
                    }
                }
            } catch (IOException e) {
                // unreadable: try the next place; the server's 401 then says what to do
            }
        }
        return Optional.empty();
    }
}
