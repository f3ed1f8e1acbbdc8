package dev.gatemesh.api.yaml;

import dev.gatemesh.api.problem.FieldPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads multi-document YAML (and JSON, which is YAML) into {@link YamlNode} trees with line numbers.
 * Documents before a syntax error are kept, so a file with one broken document still yields the
 * others; duplicate keys are reported instead of silently keeping the last one.
 */
public final class YamlReader {

    /** What reading one text produced. {@code syntaxError} is null when the whole text parsed. */
    public record Result(List<YamlDocument> documents, List<DuplicateKey> duplicateKeys,
                         YamlSyntaxException syntaxError) {
    }

    /** A key written twice in one mapping; {@code path} is its field path, such as {@code spec.http[0].timeout}. */
    public record DuplicateKey(String key, String path, int line, int firstLine) {
    }

    private YamlReader() {
    }

    public static Result read(String text) {
        LoadSettings settings = LoadSettings.builder()
                .setSchema(new CoreSchema())
                .setMaxAliasesForCollections(50)
                .build();
        List<YamlDocument> documents = new ArrayList<>();
        List<DuplicateKey> duplicates = new ArrayList<>();
        try {
            for (Node node : new Compose(settings).composeAllFromString(text)) {
                if (node == null) {
                    continue;
                }
                Converter converter = new Converter(duplicates);
                YamlNode root = converter.convert(node, "");
                if (root instanceof YamlNode.Scalar scalar && scalar.isNull()) {
                    continue; // an empty document, e.g. a trailing "---" or only comments
                }
                documents.add(new YamlDocument(root, root.line()));
            }
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            return new Result(documents, duplicates,
                    new YamlSyntaxException(problem + context, mark.map(m -> m.getLine() + 1).orElse(0)));
        } catch (YamlEngineException e) {
            return new Result(documents, duplicates, new YamlSyntaxException(e.getMessage(), 0));
        }
        return new Result(documents, duplicates, null);
    }

    private static int lineOf(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    /** Converts one composed document; aliases to the same node are converted once. */
    private static final class Converter {
        private final List<DuplicateKey> duplicates;
        private final Map<Node, YamlNode> seen = new IdentityHashMap<>();

        Converter(List<DuplicateKey> duplicates) {
            this.duplicates = duplicates;
        }

        YamlNode convert(Node node, String path) {
            YamlNode done = seen.get(node);
            if (done != null) {
                return done;
            }
            if (node.isRecursive()) {
                throw new YamlEngineException("recursive YAML aliases are not supported");
            }
            YamlNode converted = switch (node.getNodeType()) {
                case SCALAR -> scalar((ScalarNode) node);
                case SEQUENCE -> sequence((SequenceNode) node, path);
                case MAPPING -> mapping((MappingNode) node, path);
                default -> throw new YamlEngineException("unsupported YAML node " + node.getNodeType());
            };
            seen.put(node, converted);
            return converted;
        }

        private YamlNode scalar(ScalarNode node) {
            Tag tag = node.getTag();
            YamlNode.ScalarType type;
            if (Tag.INT.equals(tag)) {
                type = YamlNode.ScalarType.INTEGER;
            } else if (Tag.FLOAT.equals(tag)) {
                type = YamlNode.ScalarType.FLOAT;
            } else if (Tag.BOOL.equals(tag)) {
                type = YamlNode.ScalarType.BOOLEAN;
            } else if (Tag.NULL.equals(tag)) {
                type = YamlNode.ScalarType.NULL;
            } else {
                type = YamlNode.ScalarType.STRING;
            }
            return new YamlNode.Scalar(type, node.getValue(), lineOf(node));
        }

        private YamlNode sequence(SequenceNode node, String path) {
            List<YamlNode> items = new ArrayList<>();
            for (Node item : node.getValue()) {
                items.add(convert(item, FieldPath.index(path, items.size())));
            }
            return new YamlNode.Sequence(items, lineOf(node));
        }

        private YamlNode mapping(MappingNode node, String path) {
            List<YamlNode.Entry> entries = new ArrayList<>();
            Map<String, Integer> firstLines = new HashMap<>();
            for (NodeTuple tuple : node.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode keyScalar)) {
                    throw new YamlEngineException("line " + lineOf(keyNode) + ": mapping keys must be plain values");
                }
                String key = keyScalar.getValue();
                int keyLine = lineOf(keyNode);
                Integer first = firstLines.putIfAbsent(key, keyLine);
                if (first != null) {
                    duplicates.add(new DuplicateKey(key, FieldPath.field(path, key), keyLine, first));
                    continue;
                }
                entries.add(new YamlNode.Entry(key, keyLine, convert(tuple.getValueNode(), FieldPath.field(path, key))));
            }
            return new YamlNode.Mapping(entries, lineOf(node));
        }
    }
}
