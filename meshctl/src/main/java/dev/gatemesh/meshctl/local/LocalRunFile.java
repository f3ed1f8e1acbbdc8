package dev.gatemesh.meshctl.local;

import dev.gatemesh.api.write.ManifestWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code <home>/local-mesh.json}: written while a local mesh runs, so that {@code meshctl proxy-status} and
 * {@code proxy-config} in another terminal find its config server without flags.
 */
public final class LocalRunFile {

    static final String NAME = "local-mesh.json";

    private LocalRunFile() {
    }

    static void write(Path home, long pid, String managementUrl, String controlPlaneUrl, Path folder) throws IOException {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("pid", pid);
        content.put("server", managementUrl);
        content.put("controlPlane", controlPlaneUrl);
        content.put("folder", folder.toString());
        Files.createDirectories(home);
        Path temporary = home.resolve("." + NAME + ".tmp");
        Files.writeString(temporary, ManifestWriter.toJson(content));
        Files.move(temporary, home.resolve(NAME), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static void delete(Path home) {
        try {
            Files.deleteIfExists(home.resolve(NAME));
        } catch (IOException ignored) {
            // a stale file is recognised by its dead pid
        }
    }

    /** The management URL of the local mesh running from this home, if one is running. */
    public static Optional<String> runningServer(Path home) {
        Path file = home.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> content = JsonMapper.builder().build().readValue(Files.readString(file),
                    new TypeReference<Map<String, Object>>() {
                    });
            long pid = ((Number) content.get("pid")).longValue();
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive ? Optional.ofNullable((String) content.get("server")) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
