package dev.gatemesh.api.crd;

import dev.gatemesh.api.model.IstioDuration;
import dev.gatemesh.api.model.IstioFields;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI v3 structural schema of a model type, as plain maps (ready for YAML), built by reflection
 * with the same rules the YAML binder applies: a record is an object whose properties are its component
 * names, a {@link List} an array, a {@link Map} an object with {@code additionalProperties}, an enum a
 * string of its constant names, {@link IstioDuration} a string. Istio's fields that Gatemesh does not
 * implement ({@link IstioFields#unsupported()}) are declared with {@code x-kubernetes-preserve-unknown-fields}
 * so that the API server keeps them and Gatemesh's loader (and validating webhook) can report them, rather
 * than the API server pruning them silently. Polymorphic types ({@link Object}, interfaces) are kept the same
 * way: there is no structural schema for "any of".
 */
public final class StructuralSchema {

    private final Deque<Class<?>> inProgress = new ArrayDeque<>();

    private StructuralSchema() {
    }

    /** The schema of {@code type}; fails on a record that contains itself (no structural schema can say that). */
    public static Map<String, Object> of(Type type) {
        return new StructuralSchema().schema(type, type.getTypeName());
    }

    private Map<String, Object> schema(Type type, String where) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] arguments = parameterized.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                return ordered("type", "array", "items", schema(arguments[0], where + "[]"));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return ordered("type", "object", "additionalProperties", schema(arguments[1], where + "{}"));
            }
            return preserveUnknown();
        }
        if (!(type instanceof Class<?> target)) {
            return preserveUnknown(); // a type variable or wildcard: any value
        }
        if (target == String.class || target == IstioDuration.class) {
            return ordered("type", "string");
        }
        if (target == Integer.class || target == int.class || target == Short.class || target == short.class) {
            return ordered("type", "integer", "format", "int32");
        }
        if (target == Long.class || target == long.class) {
            return ordered("type", "integer", "format", "int64");
        }
        if (target == Double.class || target == double.class || target == Float.class || target == float.class) {
            return ordered("type", "number", "format", "double");
        }
        if (target == Boolean.class || target == boolean.class) {
            return ordered("type", "boolean");
        }
        if (target.isEnum()) {
            return ordered("type", "string", "enum",
                    Arrays.stream(target.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList());
        }
        if (target.isRecord()) {
            return record(target, where);
        }
        if (target == Object.class || target.isInterface()) {
            return preserveUnknown();
        }
        throw new IllegalArgumentException("no schema for " + target.getName() + " at " + where
                + "; the CRD generator knows records, lists, maps, enums, strings, numbers, booleans and durations");
    }

    private Map<String, Object> record(Class<?> type, String where) {
        if (inProgress.contains(type)) {
            throw new IllegalArgumentException(type.getName() + " contains itself at " + where
                    + "; a structural schema cannot be recursive");
        }
        inProgress.push(type);
        Map<String, Object> properties = new LinkedHashMap<>();
        for (RecordComponent component : type.getRecordComponents()) {
            properties.put(component.getName(),
                    schema(component.getGenericType(), where + "." + component.getName()));
        }
        IstioFields istio = type.getAnnotation(IstioFields.class);
        if (istio != null) {
            for (String name : istio.unsupported()) {
                properties.putIfAbsent(name, unsupported());
            }
        }
        inProgress.pop();
        return ordered("type", "object", "properties", properties);
    }

    private static Map<String, Object> unsupported() {
        Map<String, Object> schema = ordered("description",
                "Istio's field, not implemented by Gatemesh: kept so that Gatemesh reports it.");
        schema.put("x-kubernetes-preserve-unknown-fields", true);
        return schema;
    }

    private static Map<String, Object> preserveUnknown() {
        return ordered("x-kubernetes-preserve-unknown-fields", true);
    }

    /** A map with the given keys and values, in that order (the output is deterministic). */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
