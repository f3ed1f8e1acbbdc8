package dev.gatemesh.proxy.path;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A request's path as everything after the listener sees it: the normalized path (routed, checked and forwarded), and
 * the other readings a policy must also hold for. Apps read some paths differently from the proxy: many decode
 * {@code %2F}, {@code %5C} and {@code %3B}, many merge slashes, servlet containers drop {@code ;} parameters from each
 * segment ({@code /;/admin} and {@code /admin;x/y} are {@code /admin...} to them). So when a path holds any of those, a
 * policy decides on every reading an app may make by doing any of the three (then resolving dot segments), and a path
 * that one of those readings takes above the root is refused. NONE is documented as open to such bypasses and has one
 * reading.
 *
 * @param path          the normalized path (null when refused)
 * @param otherReadings the other readings, distinct from {@code path}; empty when there is one reading
 * @param rejection     why the path is refused with 400, or null
 */
public record PolicyPath(String path, List<String> otherReadings, String rejection) {

    public PolicyPath {
        otherReadings = otherReadings == null ? List.of() : List.copyOf(otherReadings);
    }

    public static PolicyPath of(String rawPath, PathNormalization option) {
        PathNormalizer.Result normalized = PathNormalizer.normalize(rawPath, option);
        if (normalized instanceof PathNormalizer.Invalid invalid) {
            return new PolicyPath(null, List.of(), invalid.reason());
        }
        String path = ((PathNormalizer.Normalized) normalized).path();
        if (option == PathNormalization.NONE || !PathNormalizer.mayBeReadOtherwise(path)) {
            return new PolicyPath(path, List.of(), null);
        }
        Set<String> readings = new LinkedHashSet<>();
        for (int way = 1; way < 8; way++) {
            boolean decode = (way & 1) != 0;
            boolean strip = (way & 2) != 0;
            boolean merge = (way & 4) != 0;
            PathNormalizer.Result reading = reading(path, decode, strip, merge);
            if (reading instanceof PathNormalizer.Invalid invalid) {
                return new PolicyPath(null, List.of(), invalid.reason() + " when read as apps that " + describe(decode, strip,
                        merge) + " read it");
            }
            String other = ((PathNormalizer.Normalized) reading).path();
            if (!other.equals(path)) {
                readings.add(other);
            }
        }
        return new PolicyPath(path, new ArrayList<>(readings), null);
    }

    /** The path as an app that decodes encoded delimiters, drops {@code ;} parameters or merges slashes reads it. */
    private static PathNormalizer.Result reading(String path, boolean decode, boolean strip, boolean merge) {
        String text = decode ? decodeDelimiters(path) : path;
        if (strip) {
            text = withoutParameters(text);
        }
        PathNormalizer.Result resolved = PathNormalizer.normalize(text, PathNormalization.BASE);
        if (resolved instanceof PathNormalizer.Normalized result && merge) {
            return new PathNormalizer.Normalized(PathNormalizer.mergeSlashes(result.path()));
        }
        return resolved;
    }

    private static String decodeDelimiters(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length()) {
                String code = path.substring(i + 1, i + 3).toUpperCase(java.util.Locale.ROOT);
                char decoded = switch (code) {
                    case "2F", "5C" -> '/';
                    case "3B" -> ';';
                    default -> 0;
                };
                if (decoded != 0) {
                    out.append(decoded);
                    i += 2;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Each segment without its {@code ;} parameters, as servlet containers read paths. */
    private static String withoutParameters(String path) {
        StringBuilder out = new StringBuilder(path.length());
        boolean inParameters = false;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '/') {
                inParameters = false;
            } else if (c == ';') {
                inParameters = true;
            }
            if (!inParameters) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String describe(boolean decode, boolean strip, boolean merge) {
        List<String> ways = new ArrayList<>();
        if (decode) {
            ways.add("decode %2F, %5C and %3B");
        }
        if (strip) {
            ways.add("drop ;parameters");
        }
        if (merge) {
            ways.add("merge slashes");
        }
        return String.join(" and ", ways);
    }
}
