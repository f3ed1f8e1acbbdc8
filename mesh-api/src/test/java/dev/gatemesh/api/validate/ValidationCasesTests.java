package dev.gatemesh.api.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.Fixtures;
import dev.gatemesh.api.analyze.AnalysisReport;
import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.problem.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven validation: every file under {@code cases/} is one case. Its {@code # expect:} lines
 * list exactly the problems it must produce ({@code # expect: Error GM0202 spec.http[0].route @12},
 * with {@code -} for no field); a file with none must produce no problem at all. Files in
 * {@code valid/} and {@code invalid/} are loaded and validated resource by resource; files in
 * {@code analyze/} are also analyzed across resources, each file on its own as a whole mesh.
 */
class ValidationCasesTests {

    private static final Pattern EXPECT = Pattern.compile("#\\s*expect:\\s*(Error|Warning)\\s+(GM\\d{4})\\s+(\\S+)\\s+@(\\d+)\\s*");

    static Stream<Arguments> cases() {
        return Stream.of("valid", "invalid", "analyze")
                .flatMap(folder -> Fixtures.yamlFiles("cases/" + folder).stream())
                .map(path -> Arguments.of(path.getParent().getFileName() + "/" + path.getFileName(), path));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactlyTheExpectedProblems(String name, Path file) throws IOException {
        List<String> expected = expectations(file);
        List<Problem> problems = name.startsWith("analyze/")
                ? AnalysisReport.of(List.of(file), LoadOptions.DEFAULTS).problems()
                : new ManifestLoader(LoadOptions.DEFAULTS).loadPaths(List.of(file)).problems();
        List<String> actual = problems.stream().map(ValidationCasesTests::signature).sorted().toList();
        assertThat(actual)
                .as("problems of %s; full messages:%n%s", name, String.join("\n",
                        problems.stream().map(Problem::toLine).toList()))
                .containsExactlyElementsOf(expected);
    }

    @Test
    void thereAreAtLeastSixtyCasesAcrossTheKinds() {
        assertThat(cases().count()).isGreaterThanOrEqualTo(60);
    }

    @Test
    void casesInTheValidFolderExpectNothingAndOthersExpectSomething() throws IOException {
        for (Path file : Fixtures.yamlFiles("cases/valid")) {
            assertThat(expectations(file)).as(file.toString()).isEmpty();
        }
        for (Path file : Fixtures.yamlFiles("cases/invalid")) {
            assertThat(expectations(file)).as(file.toString()).isNotEmpty();
        }
    }

    static List<String> expectations(Path file) throws IOException {
        List<String> expected = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            Matcher m = EXPECT.matcher(line.trim());
            if (m.matches()) {
                expected.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + " @" + m.group(4));
            } else if (line.contains("expect:")) {
                throw new IllegalArgumentException(file + ": malformed expectation: " + line);
            }
        }
        expected.sort(null);
        return expected;
    }

    private static String signature(Problem problem) {
        String field = problem.field() == null || problem.field().isEmpty() ? "-" : problem.field();
        return problem.severity().label() + " " + problem.code().code() + " " + field + " @" + problem.line();
    }
}
