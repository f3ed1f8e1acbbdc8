package dev.gatemesh.helm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real helm binary run on the chart: {@code lint --strict} and {@code template}. */
public final class Helm {

    /** What one helm command did. */
    public record Run(List<String> command, int exitCode, String stdout, String stderr) {

        public Run requireSuccess() {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", command) + " failed (exit " + exitCode + "):\n" + stderr + stdout);
            }
            return this;
        }
    }

    private Helm() {
    }

    public static Run lint(Path... valuesFiles) {
        List<String> args = new ArrayList<>(List.of("lint", "--strict", ChartFiles.chart().toString()));
        for (Path values : valuesFiles) {
            args.addAll(List.of("--values", values.toString()));
        }
        return run(args);
    }

    /** {@code helm template} of the chart as release {@code gatemesh} in {@code namespace}. */
    public static Run template(String namespace, List<Path> valuesFiles, String... setValues) {
        List<String> args = new ArrayList<>(List.of("template", "gatemesh", ChartFiles.chart().toString(),
                "--namespace", namespace));
        for (Path values : valuesFiles) {
            args.addAll(List.of("--values", values.toString()));
        }
        for (String set : setValues) {
            args.addAll(List.of("--set", set));
        }
        return run(args);
    }

    /** The rendered manifests of a successful {@code helm template}. */
    public static String render(String namespace, Path... valuesFiles) {
        return template(namespace, List.of(valuesFiles)).requireSuccess().stdout();
    }

    static Run run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(HelmBinary.path().toString());
        command.addAll(args);
        try {
            File out = Files.createTempFile("helm", ".out").toFile();
            File err = Files.createTempFile("helm", ".err").toFile();
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
                // helm keeps its caches and config in the build folder, out of the user's own.
                Path home = ChartFiles.moduleDir().resolve("target/helm-home");
                builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
                builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
                builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
                Process process = builder.start();
                process.getOutputStream().close();
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish within 2 minutes");
                }
                return new Run(List.copyOf(command), process.exitValue(),
                        Files.readString(out.toPath(), StandardCharsets.UTF_8),
                        Files.readString(err.toPath(), StandardCharsets.UTF_8));
            } finally {
                out.delete();
                err.delete();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running helm", e);
        }
    }
}
