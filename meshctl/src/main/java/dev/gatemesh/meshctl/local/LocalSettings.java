package dev.gatemesh.meshctl.local;

import dev.gatemesh.api.limit.InputLimits;
import dev.gatemesh.proxy.path.PathNormalization;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a local mesh runs: the folder of YAML it serves, its home (CA, token, logs, run file), the
 * config server's two ports, the input limits its config server reads the folder with, and how its
 * proxies normalize request paths.
 */
public record LocalSettings(Path folder, Path home, int controlPlanePort, int managementPort, InputLimits limits,
                            PathNormalization pathNormalization) {

    public static final int DEFAULT_CONTROL_PLANE_PORT = 15012;
    public static final int DEFAULT_MANAGEMENT_PORT = 15014;

    public LocalSettings {
        folder = folder.toAbsolutePath().normalize();
        home = home.toAbsolutePath().normalize();
        limits = limits == null ? InputLimits.DEFAULTS : limits;
        pathNormalization = pathNormalization == null ? PathNormalization.BASE : pathNormalization;
    }

    /** Settings with the default input limits and Istio's default path normalization (BASE). */
    public LocalSettings(Path folder, Path home, int controlPlanePort, int managementPort) {
        this(folder, home, controlPlanePort, managementPort, InputLimits.DEFAULTS, PathNormalization.BASE);
    }

    /** The same with how the proxies normalize paths. */
    public LocalSettings(Path folder, Path home, int controlPlanePort, int managementPort, PathNormalization pathNormalization) {
        this(folder, home, controlPlanePort, managementPort, InputLimits.DEFAULTS, pathNormalization);
    }

    public LocalSettings withLimits(InputLimits newLimits) {
        return new LocalSettings(folder, home, controlPlanePort, managementPort, newLimits, pathNormalization);
    }

    /** The limits as the config server's properties ({@code gatemesh.server.limits.*}). */
    Map<String, Object> limitProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        String prefix = "gatemesh.server.limits.";
        properties.put(prefix + "max-file-size", limits.maxFileSize() + "B");
        properties.put(prefix + "max-resources-per-file", limits.maxResourcesPerFile());
        properties.put(prefix + "max-resources", limits.maxResources());
        properties.put(prefix + "max-depth", limits.maxDepth());
        properties.put(prefix + "max-scalar-length", limits.maxScalarLength());
        properties.put(prefix + "max-list-length", limits.maxListLength());
        properties.put(prefix + "max-aliases", limits.maxAliases());
        return properties;
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
