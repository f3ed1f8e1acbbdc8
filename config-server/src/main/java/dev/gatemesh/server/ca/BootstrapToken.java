package dev.gatemesh.server.ca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

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
        Path file = home.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(home);
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String token = HexFormat.of().formatHex(bytes);
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's permissions apply
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the bootstrap token " + file + ": " + e.getMessage(), e);
        }
    }
}
