package dev.gatemesh.api.bind;

import dev.gatemesh.api.model.IstioDuration;
import dev.gatemesh.api.problem.FieldPath;
import dev.gatemesh.api.problem.ProblemCode;
import dev.gatemesh.api.problem.Severity;
import dev.gatemesh.api.yaml.YamlNode;
import dev.gatemesh.api.yaml.YamlNode.ScalarType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds a {@link YamlNode} tree to the model records by their component names, which are Istio's
 * field names. It never stops at the first problem: a bad field is reported and left null, and
 * binding goes on, so one pass reports everything. It also records the line of every field.
 *
 * <p>Fields Istio has that a record does not implement are declared with
 * {@link dev.gatemesh.api.model.IstioFields}: they are errors when {@code failClosed} (security
 * kinds) and warnings otherwise; any other unknown field is an error naming the nearest known one.
 */
public final class RecordBinder {

    private final boolean failClosed;
    private final BindingReporter reporter;
    private final Map<String, Integer> positions = new LinkedHashMap<>();
    private final java.util.Set<String> failedPaths = new java.util.HashSet<>();

    public RecordBinder(boolean failClosed, BindingReporter reporter) {
        this.failClosed = failClosed;
        this.reporter = reporter;
    }

    /** Field path to line, for every field bound so far. */
    public Map<String, Integer> positions() {
        return positions;
    }

    /** The paths of fields that were written but could not be bound (their value is left null). */
    public java.util.Set<String> failedPaths() {
        return failedPaths;
    }

    /** Binds a mapping to a record; null node or YAML null gives a record with every field absent. */
    public <T> T bindRecord(YamlNode node, Class<T> type, String path) {
        if (node == null || isNull(node)) {
            return type.cast(RecordShape.of(type).construct(new Object[type.getRecordComponents().length]));
        }
        return type.cast(bind(node, type, path));
    }

    private Object bind(YamlNode node, Type type, String path) {
        if (node.line() > 0) {
            positions.putIfAbsent(path, node.line());
        }
        if (isNull(node)) {
            return null;
        }
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] arguments = parameterized.getActualTypeArguments();
            if (raw == List.class) {
                return bindList(node, arguments[0], path);
            }
            if (raw == Map.class) {
                return bindMap(node, (Class<?>) arguments[0], arguments[1], path);
            }
            throw new IllegalStateException("unsupported model type " + type);
        }
        Class<?> target = (Class<?>) type;
        if (target.isRecord() && target != IstioDuration.class) {
            return bindFields(node, target, path);
        }
        if (!(node instanceof YamlNode.Scalar scalar)) {
            wrongType(node, path, describeExpected(target));
            return null;
        }
        return bindScalar(scalar, target, path);
    }

    private Object bindFields(YamlNode node, Class<?> type, String path) {
        if (!(node instanceof YamlNode.Mapping mapping)) {
            wrongType(node, path, "a mapping (fields of " + type.getSimpleName() + ")");
            return null;
        }
        RecordShape shape = RecordShape.of(type);
        List<RecordComponent> components = shape.components();
        Object[] arguments = new Object[components.size()];
        for (YamlNode.Entry entry : mapping.entries()) {
            String fieldPath = FieldPath.field(path, entry.key());
            RecordComponent component = shape.component(entry.key());
            if (component == null) {
                unknownField(shape, entry, fieldPath);
                continue;
            }
            if (entry.keyLine() > 0) {
                positions.put(fieldPath, entry.keyLine());
            }
            arguments[components.indexOf(component)] = bind(entry.value(), component.getGenericType(), fieldPath);
        }
        return shape.construct(arguments);
    }

    private void unknownField(RecordShape shape, YamlNode.Entry entry, String fieldPath) {
        String key = entry.key();
        if (shape.isIgnored(key)) {
            return;
        }
        if (shape.isUnsupported(key)) {
            failedPaths.add(fieldPath);
            reporter.report(failClosed ? Severity.ERROR : Severity.WARNING, ProblemCode.UNSUPPORTED_FIELD, fieldPath,
                    entry.keyLine(), "Istio's field \"" + key + "\" is not supported by Gatemesh"
                            + (failClosed ? "; this security policy is rejected rather than enforced partially"
                            : "; it is ignored"));
            return;
        }
        String nearest = NearestName.find(key, shape.knownNames());
        String message = "unknown field \"" + key + "\"" + (nearest != null
                ? "; did you mean \"" + nearest + "\"?" + (shape.isUnsupported(nearest)
                ? " (an Istio field that Gatemesh does not support)" : "")
                : "; known fields are " + String.join(", ", shape.supportedNames()));
        failedPaths.add(fieldPath);
        reporter.report(Severity.ERROR, ProblemCode.UNKNOWN_FIELD, fieldPath, entry.keyLine(), message);
    }

    private List<Object> bindList(YamlNode node, Type itemType, String path) {
        if (!(node instanceof YamlNode.Sequence sequence)) {
            wrongType(node, path, "a list");
            return null;
        }
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < sequence.items().size(); i++) {
            String itemPath = FieldPath.index(path, i);
            YamlNode item = sequence.items().get(i);
            Object value = bind(item, itemType, itemPath);
            if (value != null) {
                items.add(value);
            } else if (isNull(item)) {
                reporter.report(Severity.ERROR, ProblemCode.WRONG_TYPE, itemPath, item.line(),
                        "list entries must not be null");
            }
        }
        return items;
    }

    private Map<Object, Object> bindMap(YamlNode node, Class<?> keyType, Type valueType, String path) {
        if (!(node instanceof YamlNode.Mapping mapping)) {
            wrongType(node, path, "a mapping");
            return null;
        }
        Map<Object, Object> out = new LinkedHashMap<>();
        for (YamlNode.Entry entry : mapping.entries()) {
            String entryPath = FieldPath.field(path, entry.key());
            if (entry.keyLine() > 0) {
                positions.put(entryPath, entry.keyLine());
            }
            Object key = entry.key();
            if (keyType == Integer.class) {
                key = parseIntegerKey(entry, entryPath);
                if (key == null) {
                    continue;
                }
            }
            Object value = bind(entry.value(), valueType, entryPath);
            if (value != null) {
                out.put(key, value);
            } else if (isNull(entry.value()) && valueType == String.class) {
                out.put(key, ""); // a label or header with an empty value
            }
        }
        return out;
    }

    private Integer parseIntegerKey(YamlNode.Entry entry, String path) {
        try {
            return Integer.valueOf(entry.key());
        } catch (NumberFormatException e) {
            reporter.report(Severity.ERROR, ProblemCode.WRONG_TYPE, path, entry.keyLine(),
                    "expected a port number as the key, got \"" + entry.key() + "\"");
            return null;
        }
    }

    private Object bindScalar(YamlNode.Scalar scalar, Class<?> target, String path) {
        ScalarType type = scalar.type();
        if (target == String.class) {
            if (type == ScalarType.STRING) {
                return scalar.text();
            }
            report(ProblemCode.WRONG_TYPE, path, scalar, "expected a string, got " + scalar.describe()
                    + "; put it in quotes (\"" + scalar.text() + "\") if it is meant as text");
            return null;
        }
        if (target == Integer.class) {
            if (type == ScalarType.STRING && scalar.text().trim().matches("[-+]?\\d+")) {
                report(ProblemCode.WRONG_TYPE, path, scalar, "expected a whole number, got the string \"" + scalar.text()
                        + "\"; remove the quotes");
                return null;
            }
            if (type != ScalarType.INTEGER) {
                wrongType(scalar, path, "a whole number");
                return null;
            }
            try {
                return Math.toIntExact(parseCoreInteger(scalar.text()));
            } catch (NumberFormatException | ArithmeticException e) {
                report(ProblemCode.WRONG_TYPE, path, scalar, "the number " + scalar.text() + " is too large");
                return null;
            }
        }
        if (target == Double.class) {
            if (type != ScalarType.INTEGER && type != ScalarType.FLOAT) {
                wrongType(scalar, path, "a number");
                return null;
            }
            try {
                return Double.valueOf(scalar.text());
            } catch (NumberFormatException e) {
                report(ProblemCode.WRONG_TYPE, path, scalar, "expected a number, got \"" + scalar.text() + "\"");
                return null;
            }
        }
        if (target == Boolean.class) {
            if (type != ScalarType.BOOLEAN) {
                wrongType(scalar, path, "true or false");
                return null;
            }
            return Boolean.valueOf(scalar.text().toLowerCase());
        }
        if (target == IstioDuration.class) {
            if (type == ScalarType.INTEGER || type == ScalarType.FLOAT) {
                report(ProblemCode.WRONG_TYPE, path, scalar, "expected a duration with a unit, got the number "
                        + scalar.text() + "; write it as " + scalar.text() + "s (or ms, m, h)");
                return null;
            }
            if (type != ScalarType.STRING) {
                wrongType(scalar, path, "a duration such as 1.5s, 100ms or 1m");
                return null;
            }
            try {
                return IstioDuration.parse(scalar.text());
            } catch (IllegalArgumentException e) {
                report(ProblemCode.INVALID_DURATION, path, scalar, e.getMessage());
                return null;
            }
        }
        if (target.isEnum()) {
            return bindEnum(scalar, target, path);
        }
        throw new IllegalStateException("unsupported model type " + target);
    }

    /** YAML 1.2 core schema integers: decimal (leading zeros are decimal), 0o octal, 0x hexadecimal. */
    static long parseCoreInteger(String text) {
        String digits = text;
        boolean negative = false;
        if (digits.startsWith("-") || digits.startsWith("+")) {
            negative = digits.startsWith("-");
            digits = digits.substring(1);
        }
        long value;
        if (digits.startsWith("0o")) {
            value = Long.parseLong(digits.substring(2), 8);
        } else if (digits.startsWith("0x")) {
            value = Long.parseLong(digits.substring(2), 16);
        } else {
            value = Long.parseLong(digits, 10);
        }
        return negative ? -value : value;
    }

    private Object bindEnum(YamlNode.Scalar scalar, Class<?> target, String path) {
        Object[] constants = target.getEnumConstants();
        for (Object constant : constants) {
            if (((Enum<?>) constant).name().equals(scalar.text())) {
                return constant;
            }
        }
        List<String> names = Arrays.stream(constants).map(c -> ((Enum<?>) c).name()).toList();
        String nearest = NearestName.find(scalar.text(), names);
        report(ProblemCode.INVALID_ENUM, path, scalar, "\"" + scalar.text() + "\" is not one of "
                + String.join(", ", names) + (nearest != null ? "; did you mean " + nearest + "?" : ""));
        return null;
    }

    private static String describeExpected(Class<?> target) {
        if (target == String.class) {
            return "a string";
        }
        if (target == Integer.class) {
            return "a whole number";
        }
        if (target == Double.class) {
            return "a number";
        }
        if (target == Boolean.class) {
            return "true or false";
        }
        if (target == IstioDuration.class) {
            return "a duration such as 1.5s, 100ms or 1m";
        }
        if (target.isEnum()) {
            return "one of " + Arrays.stream(target.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        return "a " + target.getSimpleName();
    }

    private void wrongType(YamlNode node, String path, String expected) {
        report(ProblemCode.WRONG_TYPE, path, node, "expected " + expected + ", got " + node.describe());
    }

    /** Reports at the line where the field's key is written (a block value starts on the next line). */
    private void report(ProblemCode code, String path, YamlNode node, String message) {
        failedPaths.add(path);
        reporter.report(Severity.ERROR, code, path, positions.getOrDefault(path, node.line()), message);
    }

    private static boolean isNull(YamlNode node) {
        return node instanceof YamlNode.Scalar scalar && scalar.isNull();
    }
}
