package dev.gatemesh.api.limit;

/**
 * Input over one of the {@link InputLimits}: what was over, by how much, and where. Reading stops here; the
 * whole file or resource is rejected, so that half of it never replaces the last good version.
 *
 * @param what  what was measured, for the message: "the file", "a value", "a list", ...
 * @param value the size found; when reading stopped at the limit it is the first value over it
 * @param atLeast whether reading stopped there, so the real size is {@code value} or more
 * @param line  1-based line, or 0 when unknown
 * @param path  the field path ({@code spec.http}), or null
 */
public record LimitExceeded(Limit limit, long max, String what, long value, boolean atLeast, int line, String path) {

    /** {@code a list has 1001 or more items; the limit (max-list-length) is 1000 items}. */
    public String message() {
        return what + " has " + value + (atLeast ? " or more " : " ") + limit.unit() + "; the limit ("
                + limit.settingName() + ") is " + max + " " + limit.unit();
    }

    /** The first violation found in a value's tree, or thrown to stop reading at the limit. */
    public static final class Stop extends RuntimeException {
        private final transient LimitExceeded exceeded;

        public Stop(LimitExceeded exceeded) {
            super(exceeded.message(), null, false, false);
            this.exceeded = exceeded;
        }

        public LimitExceeded exceeded() {
            return exceeded;
        }
    }
}
