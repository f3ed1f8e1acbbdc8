package dev.gatemesh.meshctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged executable jar as a user would: {@code java -jar meshctl.jar analyze ...}. */
class MeshctlJarIntegrationTests {

    private static final Path JAR = Path.of("target", "meshctl-exec.jar").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void analyzesTheExamplesCleanAndABrokenFolderWithExitOne() throws Exception {
        Result clean = run("analyze", AnalyzeCommandTests.EXAMPLES.toString());
        assertThat(clean.exitCode).as(clean.output).isZero();
        assertThat(clean.output).startsWith("No problems found in");

        Files.writeString(dir.resolve("gateway.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: gw}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                  - port: {number: 443, name: https, protocol: HTTPS}
                    hosts: ["*"]
                """);
        Result broken = run("analyze", dir.toString());
        assertThat(broken.exitCode).isEqualTo(1);
        assertThat(broken.output).contains("Error [GM0221] Gateway default/gw (" + dir.resolve("gateway.yaml")
                + ":7) spec.servers[0].tls: HTTPS servers need tls settings");
    }

    @Test
    void anUnreadablePathExitsTwoWithoutAStackTrace() throws Exception {
        Result result = run("analyze", dir.resolve("missing").toString());
        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.output).contains("GM0001").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void injectsAManifestAsTheGoldenFileSays() throws Exception {
        Path out = dir.resolve("injected.yaml");
        Result result = run("inject", "-f", Path.of("src/test/resources/inject/workloads.in.yaml").toAbsolutePath().toString(),
                "-o", out.toString());
        assertThat(result.exitCode).as(result.output).isZero();
        assertThat(Files.readString(out)).isEqualTo(Files.readString(Path.of("src/test/resources/inject/workloads.out.yaml")));
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(String... args) throws IOException, InterruptedException {
        assertThat(JAR).exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
