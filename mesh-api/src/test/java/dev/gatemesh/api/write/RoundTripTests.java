package dev.gatemesh.api.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.Fixtures;
import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.LoadResult;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.problem.ProblemCode;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** YAML -> model -> YAML (and JSON) -> model gives the same model, for every valid manifest we have. */
class RoundTripTests {

    private final ManifestLoader loader = new ManifestLoader(LoadOptions.DEFAULTS);

    static Stream<Arguments> manifests() {
        Stream<Path> examples = Stream.of(Fixtures.repositoryRoot().resolve("examples"));
        return Stream.concat(Stream.concat(examples, Fixtures.yamlFiles("cases/valid").stream()),
                        Fixtures.yamlFiles("istio-docs/supported").stream())
                .map(path -> Arguments.of(path.getFileName().toString(), path));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void writingAndReadingBackGivesTheSameModel(String name, Path path) {
        LoadResult original = loader.loadPaths(List.of(path));
        List<Resource<?>> resources = original.allResources();
        assertThat(resources).isNotEmpty();

        String yaml = ManifestWriter.toYaml(resources);
        LoadResult fromYaml = loader.loadText("written.yaml", yaml);
        assertThat(fromYaml.problems()).as("problems reading back:%n%s", yaml)
                .filteredOn(p -> p.code() != ProblemCode.DUPLICATE_RESOURCE).isEmpty();
        assertThat(fromYaml.allResources()).as("round trip through:%n%s", yaml).containsExactlyElementsOf(resources);

        StringBuilder json = new StringBuilder();
        for (Resource<?> resource : resources) {
            json.append(ManifestWriter.toJson(ManifestWriter.toPlain(resource))).append("\n---\n");
        }
        assertThat(loader.loadText("written.json", json.toString()).allResources()).containsExactlyElementsOf(resources);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void writingIsDeterministic(String name, Path path) {
        List<Resource<?>> first = loader.loadPaths(List.of(path)).allResources();
        List<Resource<?>> second = loader.loadPaths(List.of(path)).allResources();
        assertThat(ManifestWriter.toYaml(first)).isEqualTo(ManifestWriter.toYaml(second));
    }

    @org.junit.jupiter.api.Test
    void stringsThatLookLikeOtherYamlTypesStayStrings() {
        String text = """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: r
                  annotations: {a: "true", b: "null", c: "1.5", d: "~", e: "yes", f: "0x10", g: "", h: "8080", i: "2s"}
                spec: {hosts: [r], http: [{route: [{destination: {host: r}}]}]}
                """;
        List<Resource<?>> resources = loader.loadText("in.yaml", text).validResources();
        assertThat(resources).hasSize(1);
        LoadResult back = loader.loadText("out.yaml", ManifestWriter.toYaml(resources));
        assertThat(back.problems()).isEmpty();
        assertThat(back.allResources()).containsExactlyElementsOf(resources);
        assertThat(back.allResources().get(0).metadata().annotations()).containsEntry("g", "").containsEntry("h", "8080");
    }
}
