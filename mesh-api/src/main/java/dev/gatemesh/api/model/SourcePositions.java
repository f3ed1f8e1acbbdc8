package dev.gatemesh.api.model;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** Where each field of a resource was written: field path to 1-based line. Empty for non-file sources. */
public final class SourcePositions {

    public static final SourcePositions NONE = new SourcePositions(Map.of());

    private final Map<String, Integer> lines;

    public SourcePositions(Map<String, Integer> lines) {
        this.lines = Collections.unmodifiableMap(new HashMap<>(lines));
    }

    /** The line of the path, or of its nearest written ancestor (a missing field points at its parent). */
    public int lineOf(String path) {
        String current = path;
        while (current != null && !current.isEmpty()) {
            Integer line = lines.get(current);
            if (line != null) {
                return line;
            }
            current = parentOf(current);
        }
        return 0;
    }

    static String parentOf(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? null : path.substring(0, cut);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SourcePositions that && lines.equals(that.lines);
    }

    @Override
    public int hashCode() {
        return lines.hashCode();
    }

    @Override
    public String toString() {
        return "SourcePositions" + lines.size();
    }
}
