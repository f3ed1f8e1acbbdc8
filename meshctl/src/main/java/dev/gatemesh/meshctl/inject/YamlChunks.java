package dev.gatemesh.meshctl.inject;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A multi-document YAML file cut at its {@code ---} lines, each document's text kept exactly as written (so that
 * documents nobody changes pass through byte for byte) with the file line it starts on. A separator is a line that
 * begins with {@code ---} in the first column; inside a block scalar such a line cannot occur, since the scalar's
 * lines are indented.
 */
record YamlChunks(List<Chunk> chunks) {

    private static final Pattern SEPARATOR = Pattern.compile("---(\\s.*)?");

    /**
     * @param text      the document's text, without its separator line
     * @param firstLine the file line of the document's first line (1-based)
     */
    record Chunk(String text, int firstLine) {
        boolean isEmpty() {
            return text.lines().map(String::strip).allMatch(line -> line.isEmpty() || line.startsWith("#"));
        }
    }

    static YamlChunks split(String text) {
        List<Chunk> chunks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int start = 1;
        int lineNumber = 0;
        for (String line : text.split("(?<=\n)")) {
            lineNumber++;
            if (SEPARATOR.matcher(line.stripTrailing()).matches()) {
                chunks.add(new Chunk(current.toString(), start));
                current.setLength(0);
                start = lineNumber + 1;
            } else {
                current.append(line);
            }
        }
        chunks.add(new Chunk(current.toString(), start));
        return new YamlChunks(chunks);
    }
}
