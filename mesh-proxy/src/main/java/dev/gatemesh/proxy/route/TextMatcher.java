package dev.gatemesh.proxy.route;

import dev.gatemesh.api.model.StringMatch;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Istio's {@code StringMatch}, compiled once: exact, prefix, or a regular expression that must match
 * the whole value. With {@code ignoreCase} (VirtualService {@code ignoreUriCase}) exact and prefix
 * compare case-insensitively.
 */
public record TextMatcher(Type type, String value, boolean ignoreCase, Pattern pattern) {

    public enum Type { EXACT, PREFIX, REGEX }

    public static TextMatcher of(StringMatch match, boolean ignoreCase) {
        if (match == null || match.isEmpty()) {
            return null;
        }
        if (match.exact() != null) {
            return new TextMatcher(Type.EXACT, match.exact(), ignoreCase, null);
        }
        if (match.prefix() != null) {
            return new TextMatcher(Type.PREFIX, match.prefix(), ignoreCase, null);
        }
        return new TextMatcher(Type.REGEX, match.regex(), false, Pattern.compile(match.regex()));
    }

    /** A missing value matches nothing (a header match on an absent header fails). */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return switch (type) {
            case EXACT -> ignoreCase ? candidate.equalsIgnoreCase(value) : candidate.equals(value);
            case PREFIX -> ignoreCase ? candidate.toLowerCase(Locale.ROOT).startsWith(value.toLowerCase(Locale.ROOT))
                    : candidate.startsWith(value);
            case REGEX -> pattern.matcher(candidate).matches();
        };
    }

    /** {@code exact:/reviews}, {@code prefix:/api}, {@code regex:^/v[0-9]+}. */
    public String describe() {
        return type.name().toLowerCase(Locale.ROOT) + ":" + value + (ignoreCase ? " (ignoring case)" : "");
    }
}
