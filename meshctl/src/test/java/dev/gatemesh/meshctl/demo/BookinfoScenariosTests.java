package dev.gatemesh.meshctl.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.analyze.AnalysisReport;
import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.model.ResourceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every scenario, copied into a live folder as its own comment says, next to the base files, analyzes clean. */
class BookinfoScenariosTests {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path BASE = ROOT.resolve("examples/bookinfo");
    static final Path SCENARIOS = ROOT.resolve("scenarios/bookinfo");
    private static final Pattern COPY = Pattern.compile("^#\\s+cp scenarios/bookinfo/(\\S+) \"\\$LIVE/([^\"]*)\"$",
            Pattern.MULTILINE);

    @TempDir
    Path live;

    static List<String> scenarios() throws IOException {
        try (Stream<Path> files = Files.list(SCENARIOS)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).contains("canary-90-10.yaml", "jason-gets-v2.yaml", "fault-ratings-for-jason.yaml",
                    "strict-mtls.yaml", "deny-api-path.yaml");
            return names;
        }
    }

    /** The file name in the live folder that the scenario's own copy instruction gives. */
    private static String copyTarget(String scenario, String text) {
        Matcher copy = COPY.matcher(text);
        List<String> targets = Stream.iterate(copy.find(), found -> found, found -> copy.find())
                .map(found -> copy.group(1).equals(scenario) ? copy.group(2) : null)
                .filter(java.util.Objects::nonNull).toList();
        assertThat(targets).as("copy instructions for %s in its comment", scenario).hasSize(1);
        return targets.get(0).isEmpty() ? scenario : targets.get(0);
    }

    private void copyBase() throws IOException {
        try (Stream<Path> files = Files.list(BASE)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, live.resolve(file.getFileName()));
            }
        }
    }

    private static List<ResourceRef> refs(Path file) {
        return new ManifestLoader(LoadOptions.DEFAULTS).loadPaths(List.of(file)).allResources().stream()
                .map(Resource::ref).sorted(java.util.Comparator.comparing(ResourceRef::toString)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void copiedAsItsCommentSaysTheScenarioAnalyzesWithoutProblems(String scenario) throws IOException {
        Path file = SCENARIOS.resolve(scenario);
        String text = Files.readString(file);
        String target = copyTarget(scenario, text);
        copyBase();
        Files.copy(file, live.resolve(target), StandardCopyOption.REPLACE_EXISTING);

        AnalysisReport report = AnalysisReport.of(List.of(live), LoadOptions.DEFAULTS);

        assertThat(report.problems()).extracting(Problem::toLine).isEmpty();
        List<Resource<?>> loaded = new ManifestLoader(LoadOptions.DEFAULTS).loadPaths(List.of(live)).validResources();
        assertThat(loaded).as("the scenario's resources are in effect")
                .containsAll(new ManifestLoader(LoadOptions.DEFAULTS).loadPaths(List.of(file)).validResources());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void aScenarioThatOverwritesABaseFileKeepsEveryResourceOfIt(String scenario) throws IOException {
        Path file = SCENARIOS.resolve(scenario);
        String target = copyTarget(scenario, Files.readString(file));
        Path base = BASE.resolve(target);

        if (Files.exists(base)) {
            assertThat(refs(file)).isEqualTo(refs(base));
        } else {
            assertThat(refs(file)).doesNotContainAnyElementsOf(refs(BASE));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theCommentSaysWhatItShowsAndHowToTryIt(String scenario) throws IOException {
        String text = Files.readString(SCENARIOS.resolve(scenario));

        assertThat(text).startsWith("# Scenario: ");
        assertThat(text).containsPattern("(?m)^#\\s+.*curl .*http://127\\.0\\.0\\.1:8080/");
    }
}
