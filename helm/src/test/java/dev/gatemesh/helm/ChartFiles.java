package dev.gatemesh.helm;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the module, the chart and the repository's example manifests are. */
public final class ChartFiles {

    private ChartFiles() {
    }

    /** The helm module's folder (Maven's basedir; the working directory of the tests). */
    public static Path moduleDir() {
        Path dir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir.resolve("gatemesh"))) {
            throw new IllegalStateException("run the chart tests from the helm module (no gatemesh chart in " + dir + ")");
        }
        return dir;
    }

    public static Path chart() {
        return moduleDir().resolve("gatemesh");
    }

    public static Path repository() {
        return moduleDir().getParent();
    }

    /** A values file of the tests' resources. */
    public static Path testValues(String name) {
        return moduleDir().resolve("src/test/resources").resolve(name);
    }
}
