package dev.gatemesh.api.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.yaml.YamlNode.ScalarType;
import org.junit.jupiter.api.Test;

class YamlReaderTests {

    @Test
    void readsEveryDocumentWithItsStartingLine() {
        var result = YamlReader.read("a: 1\n---\n# only a comment\n---\nb: 2\n");
        assertThat(result.syntaxError()).isNull();
        assertThat(result.documents()).hasSize(2);
        assertThat(result.documents().get(0).line()).isEqualTo(1);
        assertThat(result.documents().get(1).line()).isEqualTo(5);
    }

    @Test
    void remembersTheLineOfEveryKey() {
        var result = YamlReader.read("spec:\n  hosts:\n  - reviews\n  http: []\n");
        var spec = (YamlNode.Mapping) ((YamlNode.Mapping) result.documents().get(0).root()).get("spec");
        assertThat(spec.entries()).extracting(YamlNode.Entry::keyLine).containsExactly(2, 4);
        var hosts = (YamlNode.Sequence) spec.get("hosts");
        assertThat(hosts.items().get(0).line()).isEqualTo(3);
    }

    @Test
    void tellsScalarTypesApartAsYamlsCoreSchemaDoes() {
        var root = (YamlNode.Mapping) YamlReader.read("a: 1\nb: \"1\"\nc: true\nd: 1.5\ne: ~\nf: text\n")
                .documents().get(0).root();
        assertThat(((YamlNode.Scalar) root.get("a")).type()).isEqualTo(ScalarType.INTEGER);
        assertThat(((YamlNode.Scalar) root.get("b")).type()).isEqualTo(ScalarType.STRING);
        assertThat(((YamlNode.Scalar) root.get("c")).type()).isEqualTo(ScalarType.BOOLEAN);
        assertThat(((YamlNode.Scalar) root.get("d")).type()).isEqualTo(ScalarType.FLOAT);
        assertThat(((YamlNode.Scalar) root.get("e")).type()).isEqualTo(ScalarType.NULL);
        assertThat(((YamlNode.Scalar) root.get("f")).type()).isEqualTo(ScalarType.STRING);
    }

    @Test
    void reportsDuplicateKeysInsteadOfKeepingTheLastSilently() {
        var result = YamlReader.read("a: 1\nb: 2\na: 3\nc:\n  - {d: 1, d: 2}\n");
        assertThat(result.duplicateKeys()).containsExactly(new YamlReader.DuplicateKey("a", "a", 3, 1),
                new YamlReader.DuplicateKey("d", "c[0].d", 5, 5));
        var root = (YamlNode.Mapping) result.documents().get(0).root();
        assertThat(((YamlNode.Scalar) root.get("a")).text()).isEqualTo("1");
    }

    @Test
    void keepsTheDocumentsBeforeASyntaxErrorAndSaysWhereItIs() {
        var result = YamlReader.read("a: 1\n---\nb: [1, 2\nc: 3\n");
        assertThat(result.documents()).hasSize(1);
        assertThat(result.syntaxError()).isNotNull();
        assertThat(result.syntaxError().line()).isBetween(3, 5);
    }

    @Test
    void readsJsonToo() {
        var result = YamlReader.read("{\"kind\": \"VirtualService\", \"spec\": {\"hosts\": [\"a\"]}}");
        assertThat(result.documents()).hasSize(1);
    }

    @Test
    void resolvesAliasesToTheSameValue() {
        var root = (YamlNode.Mapping) YamlReader.read("x: &l {app: a}\ny: *l\n").documents().get(0).root();
        assertThat(root.get("y")).isEqualTo(root.get("x"));
    }

    @Test
    void convertsPlainJavaDataWithoutPositions() {
        var node = YamlNode.fromPlain(java.util.Map.of("weight", 10));
        var weight = (YamlNode.Scalar) ((YamlNode.Mapping) node).get("weight");
        assertThat(weight.type()).isEqualTo(ScalarType.INTEGER);
        assertThat(weight.line()).isZero();
    }
}
