package dev.gatemesh.api.yaml;

import dev.gatemesh.api.limit.InputLimits;
import dev.gatemesh.api.limit.Limit;
import dev.gatemesh.api.limit.LimitExceeded;
import dev.gatemesh.api.problem.FieldPath;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * Builds {@link YamlNode} trees from the parser's events with an explicit stack (no recursion), checking the
 * {@link InputLimits} at every event: nesting depth, list and mapping length, value length, aliases to
 * collections per document and documents per text. Crossing one throws {@link LimitExceeded.Stop}, so reading
 * ends there. Aliases share the anchored node, as they did when SnakeYAML composed the tree.
 */
final class TreeBuilder {

    /** A path 64 levels deep is no help in a message: its start and the line say where. */
    private static final int MAX_PATH_SHOWN = 80;

    private final InputLimits limits;
    private final ScalarResolver resolver;
    private final List<YamlDocument> documents = new ArrayList<>();
    private final List<YamlReader.DuplicateKey> duplicates = new ArrayList<>();
    private final Deque<Frame> stack = new ArrayDeque<>();
    private final Map<String, YamlNode> anchors = new HashMap<>();
    private final Set<String> openAnchors = new HashSet<>();
    private YamlNode root;
    private int collectionAliases;

    TreeBuilder(InputLimits limits, ScalarResolver resolver) {
        this.limits = limits;
        this.resolver = resolver;
    }

    List<YamlDocument> documents() {
        return List.copyOf(documents);
    }

    List<YamlReader.DuplicateKey> duplicates() {
        return List.copyOf(duplicates);
    }

    void accept(Event event) {
        switch (event.getEventId()) {
            case DocumentStart -> {
                root = null;
                anchors.clear();
                openAnchors.clear();
                collectionAliases = 0;
            }
            case DocumentEnd -> endDocument();
            case Scalar -> scalar((ScalarEvent) event);
            case Alias -> alias((AliasEvent) event);
            case SequenceStart, MappingStart -> open(event);
            case SequenceEnd, MappingEnd -> close();
            default -> {
                // stream start and end, comments: nothing to build
            }
        }
    }

    private void endDocument() {
        if (root == null || root instanceof YamlNode.Scalar scalar && scalar.isNull()) {
            return; // an empty document, e.g. a trailing "---" or only comments
        }
        if (documents.size() >= limits.maxResourcesPerFile()) {
            stop(Limit.RESOURCES_PER_FILE, "the file", documents.size() + 1, true, root.line(), null);
        }
        documents.add(new YamlDocument(root, root.line()));
        root = null;
    }

    private void scalar(ScalarEvent event) {
        int line = lineOf(event);
        String path = childPath();
        String value = event.getValue();
        if (value.length() > limits.maxScalarLength()) {
            stop(Limit.SCALAR_LENGTH, "a value", value.length(), false, line, path);
        }
        Tag tag = event.getTag().filter(t -> !t.equals("!")).map(Tag::new)
                .orElseGet(() -> resolver.resolve(value, event.getImplicit().canOmitTagInPlainScalar()));
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
        YamlNode node = new YamlNode.Scalar(type, value, line);
        event.getAnchor().map(Anchor::getValue).ifPresent(anchor -> anchors.put(anchor, node));
        add(node, line);
    }

    private void alias(AliasEvent event) {
        int line = lineOf(event);
        String name = event.getAlias().getValue();
        YamlNode node = anchors.get(name);
        if (node == null) {
            throw new YamlEngineException("line " + line + ": " + (openAnchors.contains(name)
                    ? "recursive YAML aliases are not supported" : "found undefined alias " + name));
        }
        if (!(node instanceof YamlNode.Scalar) && ++collectionAliases > limits.maxAliases()) {
            stop(Limit.ALIASES, "the document", collectionAliases, true, line, childPath());
        }
        add(node, line);
    }

    private void open(Event event) {
        int line = lineOf(event);
        String path = childPath();
        if (stack.size() >= limits.maxDepth()) {
            stop(Limit.DEPTH, "the nesting", stack.size() + 1, true, line, path);
        }
        String anchor = ((NodeEvent) event).getAnchor().map(Anchor::getValue).orElse(null);
        if (anchor != null) {
            openAnchors.add(anchor);
        }
        stack.push(new Frame(event.getEventId() == Event.ID.MappingStart, line, path, anchor));
    }

    private void close() {
        Frame frame = stack.pop();
        YamlNode node = frame.mapping ? new YamlNode.Mapping(frame.entries, frame.line)
                : new YamlNode.Sequence(frame.items, frame.line);
        if (frame.anchor != null) {
            openAnchors.remove(frame.anchor);
            anchors.put(frame.anchor, node);
        }
        add(node, frame.line);
    }

    /** The field path of the next value, for messages: {@code spec.http[3]}. */
    private String childPath() {
        Frame top = stack.peek();
        if (top == null) {
            return "";
        }
        if (!top.mapping) {
            return FieldPath.index(top.path, top.items.size());
        }
        return top.key == null ? top.path : FieldPath.field(top.path, top.key);
    }

    private void add(YamlNode node, int line) {
        Frame top = stack.peek();
        if (top == null) {
            root = node;
            return;
        }
        if (!top.mapping) {
            if (top.items.size() >= limits.maxListLength()) {
                stop(Limit.LIST_LENGTH, "a list", top.items.size() + 1, true, line, top.path);
            }
            top.items.add(node);
            return;
        }
        if (top.key == null) {
            if (!(node instanceof YamlNode.Scalar key)) {
                throw new YamlEngineException("line " + line + ": mapping keys must be plain values");
            }
            top.key = key.text();
            top.keyLine = line;
            return;
        }
        Integer first = top.firstLines.putIfAbsent(top.key, top.keyLine);
        if (first != null) {
            duplicates.add(new YamlReader.DuplicateKey(top.key, FieldPath.field(top.path, top.key), top.keyLine, first));
        } else {
            if (top.entries.size() >= limits.maxListLength()) {
                stop(Limit.LIST_LENGTH, "a mapping", top.entries.size() + 1, true, top.keyLine, top.path);
            }
            top.entries.add(new YamlNode.Entry(top.key, top.keyLine, node));
        }
        top.key = null;
    }

    private void stop(Limit limit, String what, long value, boolean atLeast, int line, String path) {
        String shown = path == null || path.isEmpty() ? null
                : path.length() > MAX_PATH_SHOWN ? path.substring(0, MAX_PATH_SHOWN) + "..." : path;
        throw new LimitExceeded.Stop(new LimitExceeded(limit, limits.of(limit), what, value, atLeast, line, shown));
    }

    private static int lineOf(Event event) {
        return event.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    /** A mapping or list being read. */
    private static final class Frame {
        final boolean mapping;
        final int line;
        final String path;
        final String anchor;
        final List<YamlNode> items = new ArrayList<>();
        final List<YamlNode.Entry> entries = new ArrayList<>();
        final Map<String, Integer> firstLines = new HashMap<>();
        String key;
        int keyLine;

        Frame(boolean mapping, int line, String path, String anchor) {
            this.mapping = mapping;
            this.line = line;
            this.path = path;
            this.anchor = anchor;
        }
    }
}
