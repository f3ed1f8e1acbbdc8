package dev.gatemesh.api.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML value that remembers the line it came from, so that every problem found later can
 * point at {@code file:line}. Built from YAML text by {@link YamlReader}, or from plain Java maps and
 * lists (as a Kubernetes client delivers custom resources) by {@link #fromPlain(Object)}, where the
 * line is unknown (0).
 */
public sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Sequence, YamlNode.Mapping {

    /** 1-based line, or 0 when unknown. */
    int line();

    /** A short name of this node's shape for messages: "a string", "a list", ... */
    String describe();

    /** The scalar types YAML's core schema tells apart. */
    enum ScalarType { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    record Scalar(ScalarType type, String text, int line) implements YamlNode {
        @Override
        public String describe() {
            return switch (type) {
                case STRING -> "a string";
                case INTEGER, FLOAT -> "a number (" + text + ")";
                case BOOLEAN -> "a boolean (" + text + ")";
                case NULL -> "null";
            };
        }

        public boolean isNull() {
            return type == ScalarType.NULL;
        }
    }

    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A mapping with string keys, in document order, each key with its own line. */
    record Mapping(List<Entry> entries, int line) implements YamlNode {
        public Mapping {
            entries = List.copyOf(entries);
        }

        @Override
        public String describe() {
            return "a mapping";
        }

        public YamlNode get(String key) {
            for (Entry entry : entries) {
                if (entry.key().equals(key)) {
                    return entry.value();
                }
            }
            return null;
        }
    }

    record Entry(String key, int keyLine, YamlNode value) {
    }

    /** Converts plain Java data (maps, lists, strings, numbers, booleans, null) into a tree. */
    static YamlNode fromPlain(Object value) {
        if (value == null) {
            return new Scalar(ScalarType.NULL, "null", 0);
        }
        if (value instanceof Map<?, ?> map) {
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                entries.add(new Entry(String.valueOf(e.getKey()), 0, fromPlain(e.getValue())));
            }
            return new Mapping(entries, 0);
        }
        if (value instanceof List<?> list) {
            List<YamlNode> items = new ArrayList<>();
            for (Object item : list) {
                items.add(fromPlain(item));
            }
            return new Sequence(items, 0);
        }
        if (value instanceof Boolean b) {
            return new Scalar(ScalarType.BOOLEAN, b.toString(), 0);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof java.math.BigInteger) {
            return new Scalar(ScalarType.INTEGER, value.toString(), 0);
        }
        if (value instanceof Number n) {
            return new Scalar(ScalarType.FLOAT, n.toString(), 0);
        }
        return new Scalar(ScalarType.STRING, value.toString(), 0);
    }

    /** The inverse of {@link #fromPlain}: plain maps, lists and scalars, for writers. */
    static Object toPlain(YamlNode node) {
        if (node instanceof Mapping mapping) {
            Map<String, Object> out = new LinkedHashMap<>();
            mapping.entries().forEach(e -> out.put(e.key(), toPlain(e.value())));
            return out;
        }
        if (node instanceof Sequence sequence) {
            return sequence.items().stream().map(YamlNode::toPlain).toList();
        }
        Scalar scalar = (Scalar) node;
        return switch (scalar.type()) {
            case NULL -> null;
            case STRING -> scalar.text();
            case BOOLEAN -> Boolean.valueOf(scalar.text());
            case INTEGER -> Long.valueOf(scalar.text());
            case FLOAT -> Double.valueOf(scalar.text());
        };
    }
}
