package dev.gatemesh.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The README's table of problem codes is what users look codes up in: it must list every one, once. */
class ProblemCodesAreDocumentedTests {

    @Test
    void everyCodeIsUniqueAndListedInTheReadme() throws IOException {
        String readme = Files.readString(Fixtures.repositoryRoot().resolve("README.md"));
        Set<String> codes = new HashSet<>();
        for (ProblemCode code : ProblemCode.values()) {
            assertThat(codes.add(code.code())).as("code %s is used twice", code.code()).isTrue();
            assertThat(readme).as("README lists %s", code.code()).contains("| " + code.code() + " |");
        }
        long rows = readme.lines().filter(l -> l.matches("\\| GM\\d{4} \\|.*")).count();
        assertThat(rows).as("README has no stale codes").isEqualTo(ProblemCode.values().length);
        assertThat(Arrays.stream(ProblemCode.values()).map(ProblemCode::code)).allMatch(c -> c.matches("GM\\d{4}"));
    }
}
