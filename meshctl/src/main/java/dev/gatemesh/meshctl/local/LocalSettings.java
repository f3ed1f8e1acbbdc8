package dev.gatemesh.meshctl.local;

import dev.gatemesh.proxy.path.PathNormalization;
import java.nio.file.Path;

/**
 * Where a local mesh runs: the folder of YAML it serves, its home (CA, token, logs, run file), the
 * config server's two ports, and how its proxies normalize request paths.
 */
public record LocalSettings(Path folder, Path home, int controlPlanePort, int managementPort,
                            PathNormalization pathNormalization) {

    /** With Istio's default path normalization, BASE. */
    public LocalSettings(Path folder, Path home, int controlPlanePort, int managementPort) {
        this(folder, home, controlPlanePort, managementPort, PathNormalization.BASE);
    }

    public static final int DEFAULT_CONTROL_PLANE_PORT = 15012;
    public static final int DEFAULT_MANAGEMENT_PORT = 15014;

    public LocalSettings {
        folder = folder.toAbsolutePath().normalize();
        home = home.toAbsolutePath().normalize();
    }

    /** The default home: {@code ~/.gatemesh/local}. */
    public static Path defaultHome() {
        return Path.of(System.getProperty("user.home"), ".gatemesh", "local");
    }

    Path logs() {
        return home.resolve("logs");
    }

    Path serverHome() {
        return home.resolve("config-server");
    }

    Path generated() {
        return home.resolve("generated").resolve("gateways.yaml");
    }

    Path credentials() {
        return folder.resolve("credentials");
    }
}
