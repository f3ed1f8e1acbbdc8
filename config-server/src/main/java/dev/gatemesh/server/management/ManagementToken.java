package dev.gatemesh.server.management;

import dev.gatemesh.server.secret.SecretFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The credential of the config server's management port. It is not the bootstrap token: every local proxy holds
 * that one, and a proxy has no business reading every other proxy's identity and configuration. Only processes
 * of the server's own user can read the file (meshctl reads it from the server's home); never logged.
 */
public final class ManagementToken {

    public static final String FILE_NAME = "management-token";

    private final byte[] token;

    private ManagementToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** The configured token, else the one in {@code <home>/management-token} (generated on first start). */
    public static ManagementToken resolve(String configured, Path home, SecureRandom random) {
        if (configured != null && !configured.isBlank()) {
            return new ManagementToken(configured.trim());
        }
        return new ManagementToken(SecretFiles.readOrCreate(home.resolve(FILE_NAME), random));
    }

    /** Whether {@code presented} is the token (in constant time). */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ManagementToken(redacted)";
    }
}
