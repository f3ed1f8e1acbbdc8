package dev.gatemesh.api.model;

/**
 * Where a resource came from: the file as the user named it (or a description such as
 * {@code kubernetes}) and the line its document starts on, plus the lines of its fields.
 */
public record Origin(String file, int line, SourcePositions positions) {

    public int lineOf(String fieldPath) {
        int found = positions.lineOf(fieldPath);
        return found > 0 ? found : line;
    }
}
