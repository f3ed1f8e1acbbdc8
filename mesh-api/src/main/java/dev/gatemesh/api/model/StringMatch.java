package dev.gatemesh.api.model;

/**
 * Istio's StringMatch: exactly one of exact, prefix or regex (RE2 syntax in Istio; checked with
 * Java's regex engine here). An empty match in {@code headers}/{@code withoutHeaders} tests presence.
 */
public record StringMatch(String exact, String prefix, String regex) {

    public static StringMatch exact(String value) {
        return new StringMatch(value, null, null);
    }

    public static StringMatch prefix(String value) {
        return new StringMatch(null, value, null);
    }

    public static StringMatch regex(String value) {
        return new StringMatch(null, null, value);
    }

    public int setCount() {
        return (exact != null ? 1 : 0) + (prefix != null ? 1 : 0) + (regex != null ? 1 : 0);
    }

    public boolean isEmpty() {
        return setCount() == 0;
    }
}
