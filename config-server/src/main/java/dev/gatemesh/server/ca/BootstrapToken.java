package dev.gatemesh.server.ca;

import dev.gatemesh.server.secret.SecretFiles;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The bootstrap credential: given in configuration, or read from (and on first start generated into)
 * {@code <home>/bootstrap-token}, readable by its owner only. Never logged.
 */
public final class BootstrapToken {

    public static final String FILE_NAME = "bootstrap-token";

    private BootstrapToken() {
    }

    /** The resolved token, as a bean (never logged: no toString). */
    public static final class Value {
        private final String token;

        public Value(String token) {
            this.token = token;
        }

        public String token() {
            return token;
        }

        @Override
        public String toString() {
            return "BootstrapToken(redacted)";
        }
    }

    public static String resolve(String configured, Path home, SecureRandom random) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        return SecretFiles.readOrCreate(home.resolve(FILE_NAME), random);
    }
}
