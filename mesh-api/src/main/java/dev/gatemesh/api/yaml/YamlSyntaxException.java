package dev.gatemesh.api.yaml;

/** The text is not well-formed YAML; {@link #line()} says where (1-based, 0 when unknown). */
public final class YamlSyntaxException extends Exception {

    private final int line;

    public YamlSyntaxException(String message, int line) {
        super(message);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
