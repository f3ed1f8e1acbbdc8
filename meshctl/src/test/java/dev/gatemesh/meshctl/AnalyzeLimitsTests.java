package dev.gatemesh.meshctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshctl analyze} on files over the input limits: one line per problem, exit 1, never a stack trace. */
class AnalyzeLimitsTests {

    @TempDir
    Path dir;

    private static void assertOneLineError(CliRun run, Path file, String message) {
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines()).hasSize(2);
        assertThat(run.out().lines().findFirst().orElseThrow()).startsWith("Error [GM0007] (" + file).contains(message);
        assertThat(run.out()).doesNotContain("Exception").doesNotContain("Error:").doesNotContain("\tat ");
    }

    @Test
    void aDocumentNestedFifteenHundredDeepIsOneLineNotAStackOverflow() throws IOException {
        Path file = dir.resolve("deep.yaml");
        Files.writeString(file, "a: " + "[".repeat(1500) + "]".repeat(1500) + "\n");
        assertOneLineError(CliRun.of("analyze", file.toString()), file,
                "the nesting has 65 or more levels; the limit (max-depth) is 64 levels");
    }

    @Test
    void aSixtyMebibyteValueIsRejectedBeforeReading() throws IOException {
        Path file = dir.resolve("scalar.yaml");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("a: \"");
            String chunk = "x".repeat(1 << 16);
            for (int i = 0; i < 960; i++) {
                out.write(chunk);
            }
            out.write("\"\n");
        }
        assertOneLineError(CliRun.of("analyze", file.toString()), file,
                "the file has 62914566 bytes; the limit (max-file-size) is 8388608 bytes");
    }

    @Test
    void aFileOfThreeHundredThousandResourcesIsOneLine() throws IOException {
        Path file = dir.resolve("many.yaml");
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < 300_000; i++) {
                out.write("---\n{apiVersion: networking.istio.io/v1, kind: DestinationRule, metadata: {name: d" + i
                        + "}, spec: {host: d" + i + "}}\n");
            }
        }
        assertOneLineError(CliRun.of("analyze", file.toString()), file, "the limit (max-file-size) is 8388608 bytes");
        assertOneLineError(CliRun.of("analyze", "--max-file-size", "64MB", file.toString()), file,
                "the file has 10001 or more resources; the limit (max-resources-per-file) is 10000 resources");
    }

    @Test
    void flagsChangeTheLimits() throws IOException {
        Path file = dir.resolve("hosts.yaml");
        Files.writeString(file, """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: external}
                spec: {hosts: [a.example.com, b.example.com, c.example.com, d.example.com, e.example.com], location: MESH_EXTERNAL, resolution: DNS,
                  ports: [{number: 443, name: tls, protocol: TLS}]}
                """);
        assertThat(CliRun.of("analyze", file.toString()).exitCode()).isZero();
        assertOneLineError(CliRun.of("analyze", "--max-list-length", "4", file.toString()), file,
                "spec.hosts: a list has 5 or more items; the limit (max-list-length) is 4 items");
    }

    @Test
    void aLimitBelowOneIsAUsageError() {
        CliRun run = CliRun.of("analyze", "--max-depth", "0", dir.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--max-depth must be at least 1 (got 0)");
    }
}
