package dev.gatemesh.api.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.gatemesh.api.Fixtures;
import dev.gatemesh.api.analyze.MeshAnalyzer;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.yaml.YamlDocument;
import dev.gatemesh.api.yaml.YamlNode;
import dev.gatemesh.api.yaml.YamlNode.ScalarType;
import dev.gatemesh.api.yaml.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets a clear error, never an exception: every node of every example and valid case
 * document is replaced, one at a time, by each wrong shape, and the result is loaded and analyzed.
 */
class LoaderRobustnessTests {

    private static final List<YamlNode> WRONG_SHAPES = List.of(
            new YamlNode.Scalar(ScalarType.STRING, "x", 1),
            new YamlNode.Scalar(ScalarType.INTEGER, "-1", 1),
            new YamlNode.Scalar(ScalarType.INTEGER, "99999999999", 1),
            new YamlNode.Scalar(ScalarType.FLOAT, "1.5", 1),
            new YamlNode.Scalar(ScalarType.BOOLEAN, "true", 1),
            new YamlNode.Scalar(ScalarType.NULL, "null", 1),
            new YamlNode.Sequence(List.of(new YamlNode.Scalar(ScalarType.NULL, "null", 1)), 1),
            new YamlNode.Mapping(List.of(), 1));

    private final ManifestLoader loader = new ManifestLoader(LoadOptions.DEFAULTS);

    @Test
    void noMutationOfAValidDocumentMakesTheLoaderOrAnalyzerThrow() throws IOException {
        List<Path> files = new ArrayList<>(Fixtures.yamlFiles("cases/valid"));
        try (var examples = Files.walk(Fixtures.repositoryRoot().resolve("examples"))) {
            examples.filter(p -> p.toString().endsWith(".yaml")).forEach(files::add);
        }
        int mutations = 0;
        for (Path file : files) {
            for (YamlDocument document : YamlReader.read(Files.readString(file)).documents()) {
                for (YamlNode mutant : mutants(document.root())) {
                    List<Problem> unreadable = new ArrayList<>();
                    assertThatCode(() -> {
                        LoadedResource loaded = loader.readDocument(mutant, file.toString(), 1, unreadable);
                        if (loaded != null) {
                            List<Resource<?>> set = List.of(loaded.resource());
                            new MeshAnalyzer(LoadOptions.DEFAULTS).analyze(set);
                        }
                    }).as("mutant of %s:%n%s", file, YamlNode.toPlain(mutant)).doesNotThrowAnyException();
                    mutations++;
                }
            }
        }
        assertThat(mutations).isGreaterThan(1000);
    }

    /** Every tree that differs from the original in exactly one node replaced by a wrong shape. */
    static List<YamlNode> mutants(YamlNode root) {
        List<YamlNode> out = new ArrayList<>();
        collect(root, UnaryOperator.identity(), out);
        return out;
    }

    private static void collect(YamlNode node, UnaryOperator<YamlNode> rebuild, List<YamlNode> out) {
        for (YamlNode shape : WRONG_SHAPES) {
            out.add(rebuild.apply(shape));
        }
        if (node instanceof YamlNode.Mapping mapping) {
            for (int i = 0; i < mapping.entries().size(); i++) {
                int at = i;
                collect(mapping.entries().get(i).value(), replacement -> {
                    List<YamlNode.Entry> entries = new ArrayList<>(mapping.entries());
                    YamlNode.Entry entry = entries.get(at);
                    entries.set(at, new YamlNode.Entry(entry.key(), entry.keyLine(), replacement));
                    return rebuild.apply(new YamlNode.Mapping(entries, mapping.line()));
                }, out);
            }
        } else if (node instanceof YamlNode.Sequence sequence) {
            for (int i = 0; i < sequence.items().size(); i++) {
                int at = i;
                collect(sequence.items().get(i), replacement -> {
                    List<YamlNode> items = new ArrayList<>(sequence.items());
                    items.set(at, replacement);
                    return rebuild.apply(new YamlNode.Sequence(items, sequence.line()));
                }, out);
            }
        }
    }
}
