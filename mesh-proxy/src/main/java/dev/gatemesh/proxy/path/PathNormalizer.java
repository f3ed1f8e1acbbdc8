package dev.gatemesh.proxy.path;

import java.util.ArrayList;
import java.util.List;

/**
 * Normalizes a request's path as Istio's {@code pathNormalization} option says (see
 * <a href="https://istio.io/latest/docs/reference/config/security/normalization/">Istio's normalization table</a>),
 * so that routing, policies and the app all see the same path: the normalized path is what is forwarded. A path
 * that cannot be normalized is refused (400) rather than passed on for the app to read its own way: one above the
 * root, a NUL, an invalid percent-encoding, a raw control, space or non-ASCII character, a fragment, and a dot
 * segment carrying {@code ;} parameters ({@code /..;/admin}, which servlet containers resolve as {@code ..}).
 * {@code ;} parameters elsewhere are kept, as Istio does. Pure: no state, no allocation for a path that needs no change.
 */
public final class PathNormalizer {

    /** What became of a path. */
    public sealed interface Result permits Normalized, Invalid {
    }

    /** The path to route, check and forward. */
    public record Normalized(String path) implements Result {
    }

    /** The path cannot be normalized: the request is refused with 400 and {@code reason}. */
    public record Invalid(String reason) implements Result {
    }

    private PathNormalizer() {
    }

    /**
     * @param rawPath the request target's path (origin form, without the query)
     */
    public static Result normalize(String rawPath, PathNormalization option) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return new Invalid("the request path must start with '/'");
        }
        if (option == PathNormalization.NONE) {
            return checkedAsIs(rawPath);
        }
        if (isCanonical(rawPath, option)) {
            return new Normalized(rawPath);
        }
        Invalid notUtf8 = invalidUtf8(rawPath);
        if (notUtf8 != null) {
            return notUtf8;
        }
        StringBuilder decoded = new StringBuilder(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            Invalid invalid = invalidCharacter(c, i);
            if (invalid != null) {
                return invalid;
            }
            if (c == '%') {
                int value = percentValue(rawPath, i);
                if (value < 0) {
                    return new Invalid("invalid percent-encoding at position " + i + " of the path: '%' must be followed "
                            + "by two hexadecimal digits");
                }
                if (value == 0) {
                    return new Invalid("the path contains %00 (NUL)");
                }
                if (isUnreserved(value)) {
                    decoded.append((char) value);
                } else if (option.decodesSlashes() && (value == '/' || value == '\\')) {
                    decoded.append('/');
                } else {
                    decoded.append('%').append(Character.toUpperCase(rawPath.charAt(i + 1)))
                            .append(Character.toUpperCase(rawPath.charAt(i + 2)));
                }
                i += 2;
            } else {
                decoded.append(c == '\\' ? '/' : c);
            }
        }
        return withoutDotSegments(decoded.toString(), option.mergesSlashes());
    }

    /**
     * Whether an app may read the path differently from a proxy that keeps repeated slashes, encoded slashes,
     * backslashes or semicolons, and {@code ;} parameters.
     */
    public static boolean mayBeReadOtherwise(String path) {
        if (path.contains("//") || path.indexOf(';') >= 0) {
            return true;
        }
        for (int i = path.indexOf('%'); i >= 0 && i + 2 < path.length(); i = path.indexOf('%', i + 1)) {
            char high = path.charAt(i + 1);
            char low = Character.toUpperCase(path.charAt(i + 2));
            if ((high == '2' && low == 'F') || (high == '5' && low == 'C') || (high == '3' && low == 'B')) {
                return true;
            }
        }
        return false;
    }

    /** The path with runs of slashes merged into one (the trailing slash kept). */
    public static String mergeSlashes(String path) {
        if (!path.contains("//")) {
            return path;
        }
        StringBuilder merged = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '/' || merged.isEmpty() || merged.charAt(merged.length() - 1) != '/') {
                merged.append(c);
            }
        }
        return merged.toString();
    }

    /**
     * Percent-encoded bytes above 0x7F must be well-formed UTF-8: an overlong form such as {@code %C0%AE} is a dot to
     * a lenient decoder and nothing to the proxy, so it is refused rather than passed on.
     */
    private static Invalid invalidUtf8(String path) {
        int i = 0;
        while (i < path.length()) {
            int value = path.charAt(i) == '%' ? percentValue(path, i) : -1;
            if (value < 0x80) {
                i++;
                continue;
            }
            int start = i;
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            while (i < path.length() && path.charAt(i) == '%' && (value = percentValue(path, i)) >= 0x80) {
                bytes.write(value);
                i += 3;
            }
            try {
                java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()));
            } catch (java.nio.charset.CharacterCodingException e) {
                return new Invalid("the percent-encoded bytes at position " + start + " of the path are not valid UTF-8");
            }
        }
        return null;
    }

    /** NONE: forwarded as it came, but a NUL is refused whatever the option (as Istio). */
    private static Result checkedAsIs(String rawPath) {
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == 0) {
                return new Invalid("the path contains a NUL character");
            }
            if (c == '%' && percentValue(rawPath, i) == 0) {
                return new Invalid("the path contains %00 (NUL)");
            }
        }
        return new Normalized(rawPath);
    }

    /** True when normalizing would change nothing: the common case, answered without allocating. */
    private static boolean isCanonical(String path, PathNormalization option) {
        char previous = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' || c == '\\' || c == '#' || c <= 0x20 || c >= 0x7f || (c == '.' && previous == '/')
                    || (c == '/' && previous == '/' && option.mergesSlashes())) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    private static Invalid invalidCharacter(char c, int position) {
        if (c == 0) {
            return new Invalid("the path contains a NUL character");
        }
        if (c < 0x21 || c >= 0x7f) {
            return new Invalid("the path contains a control, space or non-ASCII character at position " + position
                    + " (such characters must be percent-encoded)");
        }
        if (c == '#') {
            return new Invalid("the path contains '#': a fragment is never part of a request target");
        }
        return null;
    }

    /** The byte a {@code %HH} at {@code at} encodes, or -1 when it is not a valid encoding. */
    private static int percentValue(String path, int at) {
        if (at + 2 >= path.length()) {
            return -1;
        }
        int high = Character.digit(path.charAt(at + 1), 16);
        int low = Character.digit(path.charAt(at + 2), 16);
        return high < 0 || low < 0 ? -1 : high * 16 + low;
    }

    /** RFC 3986's unreserved characters: ALPHA, DIGIT, '-', '.', '_', '~'. */
    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** RFC 3986 section 5.2.4 on an absolute path, refusing to climb above the root; then slashes merged if asked. */
    private static Result withoutDotSegments(String path, boolean mergeSlashes) {
        String[] segments = path.substring(1).split("/", -1);
        List<String> kept = new ArrayList<>(segments.length);
        boolean trailingSlash = false;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.startsWith(".;") || segment.startsWith("..;")) {
                return new Invalid("the path has a dot segment with parameters ('" + segment + "'), which servers read "
                        + "differently");
            }
            if (segment.equals(".")) {
                trailingSlash = last;
            } else if (segment.equals("..")) {
                if (kept.isEmpty()) {
                    return new Invalid("the path climbs above the root with '..'");
                }
                kept.remove(kept.size() - 1);
                trailingSlash = last;
            } else {
                kept.add(segment);
                trailingSlash = false;
            }
        }
        StringBuilder out = new StringBuilder(path.length());
        for (String segment : kept) {
            out.append('/').append(segment);
        }
        if (trailingSlash || out.isEmpty()) {
            out.append('/');
        }
        String normalized = out.toString();
        return new Normalized(mergeSlashes ? mergeSlashes(normalized) : normalized);
    }
}
