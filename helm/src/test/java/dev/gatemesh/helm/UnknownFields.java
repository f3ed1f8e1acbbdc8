package dev.gatemesh.helm;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The fields of a parsed fabric8 model object that the model does not know: fabric8 keeps them in each
 * object's {@code additionalProperties} instead of failing, so a misspelt or misplaced field in a template
 * would otherwise pass unnoticed. Walks the object graph through its getters.
 */
final class UnknownFields {

    private final List<String> found = new ArrayList<>();

    private UnknownFields() {
    }

    /** The paths of unknown fields, e.g. {@code spec.template.spec.containers[0].livenessprobe}. */
    static List<String> in(Object object) {
        UnknownFields walker = new UnknownFields();
        walker.walk(object, "");
        return walker.found;
    }

    private void walk(Object value, String path) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]");
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "[" + key + "]"));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            String name = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            if (name.equals("additionalProperties") && field instanceof Map<?, ?> extra) {
                // fabric8's bucket of unknown fields (a CRD schema's additionalProperties keyword is no Map)
                extra.keySet().forEach(key -> found.add(join(path, String.valueOf(key))));
                continue;
            }
            walk(field, join(path, name));
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
