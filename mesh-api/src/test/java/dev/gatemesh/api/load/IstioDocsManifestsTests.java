package dev.gatemesh.api.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.Fixtures;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.problem.ProblemCode;
import dev.gatemesh.api.problem.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real manifests copied from Istio's documentation and samples (each file names its source). The
 * ones within Gatemesh's supported fields must load without a single problem; the others must be
 * flagged at exactly the field Gatemesh does not support; the broken ones must be rejected.
 * Files are loaded one by one: the docs reuse names across pages, which would collide as one set.
 */
class IstioDocsManifestsTests {

    private final ManifestLoader loader = new ManifestLoader(LoadOptions.DEFAULTS);

    static Stream<Arguments> supported() {
        return named("istio-docs/supported");
    }

    static Stream<Arguments> unsupported() {
        return named("istio-docs/unsupported");
    }

    static Stream<Arguments> invalid() {
        return named("istio-docs/invalid");
    }

    private static Stream<Arguments> named(String folder) {
        return Fixtures.yamlFiles(folder).stream().map(p -> Arguments.of(p.getFileName().toString(), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supported")
    void supportedManifestsLoadWithoutProblems(String name, Path file) {
        LoadResult result = loader.loadPaths(List.of(file));
        // The docs apply successive versions of one resource on one page; as one file that is a duplicate.
        List<Problem> problems = result.problems().stream()
                .filter(p -> p.code() != ProblemCode.DUPLICATE_RESOURCE)
                .toList();
        assertThat(problems).isEmpty();
        assertThat(result.resources()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupported")
    void unsupportedFieldsAreFlaggedWhereTheyAre(String name, Path file) throws IOException {
        String expect = Files.readAllLines(file).get(0);
        assertThat(expect).startsWith("# expect: ");
        String[] parts = expect.substring("# expect: ".length()).trim().split(" ", 2);
        String kind = parts[0];
        LoadResult result = loader.loadPaths(List.of(file));
        List<Problem> flagged = result.problems().stream()
                .filter(p -> p.code() == ProblemCode.UNSUPPORTED_FIELD || p.code() == ProblemCode.UNSUPPORTED_KIND)
                .toList();
        assertThat(flagged).isNotEmpty();
        assertThat(flagged).allSatisfy(p -> assertThat(p.resource().kind()).isEqualTo(kind));
        assertThat(flagged).extracting(Problem::field).contains(parts[1]);
        boolean security = kind.equals("AuthorizationPolicy") || kind.equals("PeerAuthentication")
                || kind.equals("RequestAuthentication");
        Severity expected = security ? Severity.ERROR : Severity.WARNING;
        assertThat(flagged).allSatisfy(p -> assertThat(p.severity()).isEqualTo(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void brokenManifestsAreRejected(String name, Path file) {
        LoadResult result = loader.loadPaths(List.of(file));
        assertThat(result.hasErrors()).isTrue();
        assertThat(result.problems()).allSatisfy(p -> {
            assertThat(p.line()).isPositive();
            assertThat(p.file()).isEqualTo(file.toString());
        });
    }
}
