package dev.gatemesh.server.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A secret kept in a file only its owner may read: read when present, generated (32 random bytes, hex) on first
 * use. Whoever can read the server's home is trusted as the server's own user is; nobody else is.
 */
public final class SecretFiles {

    private SecretFiles() {
    }

    /** The secret in {@code file}, created with mode 0600 (its folder created too) when it does not exist yet. */
    public static String readOrCreate(Path file, SecureRandom random) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String secret = HexFormat.of().formatHex(bytes);
            Files.writeString(file, "", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's permissions apply
            }
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }
}
