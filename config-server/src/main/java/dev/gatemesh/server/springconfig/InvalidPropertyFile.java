package dev.gatemesh.server.springconfig;

/**
 * A Spring property file that cannot be read: where (origin and line, 0 when unknown) and what is wrong,
 * in a message meant for the user.
 */
public final class InvalidPropertyFile extends Exception {

    private final String origin;
    private final int line;
    private final String problem;

    public InvalidPropertyFile(String origin, int line, String problem) {
        super(origin + (line > 0 ? ":" + line : "") + ": " + problem);
        this.origin = origin;
        this.line = line;
        this.problem = problem;
    }

    public String origin() {
        return origin;
    }

    public int line() {
        return line;
    }

    public String problem() {
        return problem;
    }
}
