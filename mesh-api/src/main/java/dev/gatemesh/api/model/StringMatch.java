package dev.gatemesh.api.model;

/**
 * Istio's StringMatch: exactly one of exact, prefix or regex (RE2 syntax in Istio; checked with
 * Java's regex engine here). An empty match in {@code headers}/{@code withoutHeaders} tests presence.
 */
public record StringMatch(String exact, String prefix, String regex) {

    public int setCount() {
        return (exact != null ? 1 : 0) + (prefix != null ? 1 : 0) + (regex != null ? 1 : 0);
    }

    public boolean isEmpty() {
        return setCount() == 0;
    }
}
