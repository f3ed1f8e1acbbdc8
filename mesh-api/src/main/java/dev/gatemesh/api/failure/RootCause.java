package dev.gatemesh.api.failure;

/**
 * The innermost cause of a failure, which is what a user can act on ("Connection refused", "Address already in
 * use"), without the layers that wrapped and reported it. Cause chains that loop back on themselves end the walk.
 */
public final class RootCause {

    private RootCause() {
    }

    /** The innermost cause of {@code error} ({@code error} itself when it has none). */
    public static Throwable of(Throwable error) {
        Throwable root = error;
        int depth = 0;
        while (root.getCause() != null && root.getCause() != root && depth++ < 100) {
            root = root.getCause();
        }
        return root;
    }

    /** The innermost cause as {@code SimpleClassName: message}, or only the class name when it has no message. */
    public static String describe(Throwable error) {
        Throwable root = of(error);
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** The innermost cause's message, or its class name when it has none. */
    public static String message(Throwable error) {
        Throwable root = of(error);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
