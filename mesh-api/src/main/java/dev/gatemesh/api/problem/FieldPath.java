package dev.gatemesh.api.problem;

import java.util.regex.Pattern;

/** Builds field paths as Istio prints them: {@code spec.http[0].route[1].weight}, {@code labels["app.kubernetes.io/name"]}. */
public final class FieldPath {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private FieldPath() {
    }

    public static String field(String parent, String key) {
        if (IDENTIFIER.matcher(key).matches()) {
            return parent == null || parent.isEmpty() ? key : parent + "." + key;
        }
        return (parent == null ? "" : parent) + "[\"" + key.replace("\"", "\\\"") + "\"]";
    }

    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
