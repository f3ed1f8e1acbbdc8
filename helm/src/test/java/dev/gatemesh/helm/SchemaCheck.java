package dev.gatemesh.helm;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small checker of the OpenAPI v3 subset that CRD structural schemas use (type, properties,
 * additionalProperties, items, enum, x-kubernetes-preserve-unknown-fields), applied to a manifest the way the
 * API server does with strict field validation (kubectl's default): a wrong type or an unknown field is an
 * error naming its path. A null value is accepted (the API server drops it). It also checks the schema's own
 * structural rules: every node says its type unless it preserves unknown fields.
 */
final class SchemaCheck {

    private SchemaCheck() {
    }

    /** Problems of {@code value} against {@code schema}, each as {@code path: problem}. */
    static List<String> validate(JSONSchemaProps schema, Object value, String path) {
        List<String> problems = new ArrayList<>();
        check(schema, value, path, problems);
        return problems;
    }

    private static boolean preservesUnknown(JSONSchemaProps schema) {
        return Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields());
    }

    private static void check(JSONSchemaProps schema, Object value, String path, List<String> problems) {
        if (value == null) {
            return;
        }
        String type = schema.getType();
        if (type == null) {
            if (!preservesUnknown(schema)) {
                problems.add(path + ": the schema gives no type");
            }
            return;
        }
        switch (type) {
            case "object" -> {
                if (!(value instanceof Map<?, ?> map)) {
                    problems.add(path + ": expected an object, got " + describe(value));
                    return;
                }
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    String key = String.valueOf(entry.getKey());
                    String child = path.isEmpty() ? key : path + "." + key;
                    JSONSchemaProps property = schema.getProperties() == null ? null : schema.getProperties().get(key);
                    if (property != null) {
                        check(property, entry.getValue(), child, problems);
                    } else if (schema.getAdditionalProperties() != null
                            && schema.getAdditionalProperties().getSchema() != null) {
                        check(schema.getAdditionalProperties().getSchema(), entry.getValue(), child, problems);
                    } else if (!preservesUnknown(schema)) {
                        problems.add(child + ": unknown field");
                    }
                }
            }
            case "array" -> {
                if (!(value instanceof List<?> list)) {
                    problems.add(path + ": expected an array, got " + describe(value));
                    return;
                }
                for (int i = 0; i < list.size(); i++) {
                    check(schema.getItems().getSchema(), list.get(i), path + "[" + i + "]", problems);
                }
            }
            case "string" -> {
                if (!(value instanceof String text)) {
                    problems.add(path + ": expected a string, got " + describe(value));
                    return;
                }
                if (schema.getEnum() != null && !schema.getEnum().isEmpty()
                        && schema.getEnum().stream().noneMatch(e -> text.equals(e.asText()))) {
                    problems.add(path + ": \"" + text + "\" is not one of " + schema.getEnum().stream()
                            .map(e -> e.asText()).toList());
                }
            }
            case "integer" -> {
                if (!(value instanceof Integer || value instanceof Long || value instanceof BigInteger)) {
                    problems.add(path + ": expected an integer, got " + describe(value));
                }
            }
            case "number" -> {
                if (!(value instanceof Number)) {
                    problems.add(path + ": expected a number, got " + describe(value));
                }
            }
            case "boolean" -> {
                if (!(value instanceof Boolean)) {
                    problems.add(path + ": expected a boolean, got " + describe(value));
                }
            }
            default -> problems.add(path + ": the schema has an unknown type " + type);
        }
    }

    private static String describe(Object value) {
        if (value instanceof String text) {
            return "the string \"" + text + "\"";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        return value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + value;
    }

    /** Where the schema breaks the structural rules (a node without a type, properties beside additionalProperties). */
    static List<String> structuralViolations(JSONSchemaProps schema, String path) {
        List<String> problems = new ArrayList<>();
        structural(schema, path, problems);
        return problems;
    }

    private static void structural(JSONSchemaProps schema, String path, List<String> problems) {
        if (schema.getType() == null && !preservesUnknown(schema)
                && !Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
            problems.add(path + ": no type");
        }
        if (schema.getProperties() != null && !schema.getProperties().isEmpty() && schema.getAdditionalProperties() != null) {
            problems.add(path + ": properties and additionalProperties together");
        }
        if ("array".equals(schema.getType()) && (schema.getItems() == null || schema.getItems().getSchema() == null)) {
            problems.add(path + ": an array without items");
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, child) -> structural(child, path + "." + name, problems));
        }
        if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
            structural(schema.getAdditionalProperties().getSchema(), path + "{}", problems);
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            structural(schema.getItems().getSchema(), path + "[]", problems);
        }
    }
}
