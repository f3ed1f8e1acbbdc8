package dev.gatemesh.api.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatemesh.api.limit.InputLimits;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.problem.ProblemCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every input limit stops the loader at the limit, and its message names the file, the limit and the value. */
class InputLimitsTests {

    private static final InputLimits SMALL = new InputLimits(4096, 3, 5, 8, 100, 4, 2);
    private static final String RESOURCE = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: r%d}
            spec: {host: reviews}
            """;

    @TempDir
    Path dir;

    private final ManifestLoader loader = new ManifestLoader(LoadOptions.DEFAULTS.withLimits(SMALL));

    private static String resources(int from, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            text.append("---\n").append(RESOURCE.formatted(i));
        }
        return text.toString();
    }

    private LoadResult load(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return loader.loadPaths(List.of(file));
    }

    private static Problem onlyProblem(LoadResult result) {
        assertThat(result.resources()).isEmpty();
        assertThat(result.problems()).hasSize(1);
        Problem problem = result.problems().get(0);
        assertThat(problem.code()).isEqualTo(ProblemCode.LIMIT_EXCEEDED);
        assertThat(problem.isError()).isTrue();
        return problem;
    }

    @Test
    void rejectsAFileLargerThanTheLimitWithoutParsingIt() throws IOException {
        LoadResult result = load("big.yaml", "a: \"" + "x".repeat(5000) + "\"\n");
        assertThat(onlyProblem(result).toLine()).isEqualTo("Error [GM0007] (" + dir.resolve("big.yaml")
                + ") the file has 5006 bytes; the limit (max-file-size) is 4096 bytes; the file is rejected whole");
        assertThat(result.incompleteFiles()).containsExactly(dir.resolve("big.yaml").toString());
    }

    @Test
    void rejectsADocumentNestedDeeperThanTheLimit() throws IOException {
        Problem problem = onlyProblem(load("deep.yaml", "a: " + "[".repeat(20) + "]".repeat(20) + "\n"));
        assertThat(problem.toLine()).contains("deep.yaml:1)")
                .contains("the nesting has 9 or more levels; the limit (max-depth) is 8 levels");
    }

    @Test
    void aDocumentNestedFifteenHundredDeepIsRejectedAtTheDefaultLimitWithoutOverflowingTheStack() throws IOException {
        String deep = "a: " + "[".repeat(1500) + "]".repeat(1500) + "\n";
        Path file = dir.resolve("deep.yaml");
        Files.writeString(file, deep);
        LoadResult result = new ManifestLoader(LoadOptions.DEFAULTS).loadPaths(List.of(file));
        assertThat(onlyProblem(result).message()).startsWith("the nesting has 65 or more levels; the limit (max-depth) is 64");
    }

    @Test
    void rejectsAValueLongerThanTheLimitAndSaysWhere() throws IOException {
        Problem problem = onlyProblem(load("long.yaml", RESOURCE.formatted(1).replace("host: reviews",
                "host: " + "h".repeat(150))));
        assertThat(problem.line()).isEqualTo(4);
        assertThat(problem.field()).isEqualTo("spec.host");
        assertThat(problem.message()).isEqualTo("a value has 150 characters; the limit (max-scalar-length) is 100 characters;"
                + " the file is rejected whole");
    }

    @Test
    void rejectsAListLongerThanTheLimit() throws IOException {
        Problem problem = onlyProblem(load("routes.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [a, b, c, d, e, f]
                """));
        assertThat(problem.field()).isEqualTo("spec.hosts");
        assertThat(problem.message()).startsWith("a list has 5 or more items; the limit (max-list-length) is 4 items");
    }

    @Test
    void rejectsAVirtualServiceOfTenThousandRoutesAtTheDefaultLimit() throws IOException {
        StringBuilder text = new StringBuilder("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews}
                spec:
                  hosts: [reviews]
                  http:
                """);
        for (int i = 0; i < 10_000; i++) {
            text.append("  - {match: [{uri: {prefix: /r").append(i).append("}}], route: [{destination: {host: reviews}}]}\n");
        }
        Path file = dir.resolve("routes.yaml");
        Files.writeString(file, text);
        Problem problem = onlyProblem(new ManifestLoader(LoadOptions.DEFAULTS).loadPaths(List.of(file)));
        assertThat(problem.field()).isEqualTo("spec.http");
        assertThat(problem.message()).startsWith("a list has 1001 or more items; the limit (max-list-length) is 1000 items");
    }

    @Test
    void rejectsAMappingWithMoreKeysThanTheListLimit() throws IOException {
        Problem problem = onlyProblem(load("labels.yaml", "labels: {a: 1, b: 2, c: 3, d: 4, e: 5}\n"));
        assertThat(problem.message()).startsWith("a mapping has 5 or more items");
    }

    @Test
    void rejectsMoreAliasesToCollectionsThanTheLimit() throws IOException {
        Problem problem = onlyProblem(load("laughs.yaml", """
                a: &a [x, x]
                b: &b [*a, *a]
                c: [*b, *b]
                """));
        assertThat(problem.line()).isEqualTo(3);
        assertThat(problem.message()).startsWith("the document has 3 or more aliases; the limit (max-aliases) is 2 aliases");
    }

    @Test
    void rejectsAFileWithMoreResourcesThanThePerFileLimit() throws IOException {
        Problem problem = onlyProblem(load("many.yaml", resources(0, 4)));
        assertThat(problem.message()).startsWith("the file has 4 or more resources; the limit (max-resources-per-file) is 3");
    }

    @Test
    void rejectsTheFileThatTakesTheSourceOverItsResourceLimitAndKeepsTheOthers() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), resources(0, 3));
        Files.writeString(dir.resolve("b.yaml"), resources(3, 3));
        Files.writeString(dir.resolve("c.yaml"), resources(6, 2));
        LoadResult result = loader.loadPaths(List.of(dir));
        assertThat(result.resources()).hasSize(5);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(dir.resolve("b.yaml").toString());
            assertThat(p.message()).startsWith("with this file the source has 6 resources; the limit (max-resources) is 5");
        });
        assertThat(result.incompleteFiles()).containsExactly(dir.resolve("b.yaml").toString());
    }

    @Test
    void aFileUnderEveryLimitLoadsAsBefore() throws IOException {
        LoadResult result = load("ok.yaml", resources(0, 3));
        assertThat(result.problems()).isEmpty();
        assertThat(result.validResources()).hasSize(3);
    }

    @Test
    void limitsBelowOneAreRefusedWithTheirName() {
        assertThatThrownBy(() -> new InputLimits(0, 1, 1, 1, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max-file-size must be at least 1 (got 0)");
    }
}
