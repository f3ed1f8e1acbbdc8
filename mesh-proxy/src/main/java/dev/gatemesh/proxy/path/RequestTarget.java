package dev.gatemesh.proxy.path;

import dev.gatemesh.proxy.http.Authority;
import java.util.Locale;

/**
 * A request line's target, split as RFC 9112 section 3.2 reads it: origin form ({@code /path?query}, the authority
 * from the Host header) or absolute form ({@code http://host:port/path?query}, an app using the proxy as its HTTP
 * proxy). Every other form is refused before anything is looked up: asterisk form, authority form (CONNECT), a
 * relative path, user information in the authority ({@code http://a@b/}) and fragments.
 *
 * @param authority the absolute form's authority, or null for origin form (the Host header's then)
 * @param path      the raw path, not yet normalized ({@code /} when the absolute form has none)
 * @param query     the raw query without its {@code ?}, or null
 */
public record RequestTarget(String authority, String path, String query) {

    /** A target that is refused (400), with why. */
    public static final class Invalid extends Exception {
        public Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    public static RequestTarget parse(String target) throws Invalid {
        if (target.startsWith("/")) {
            int question = target.indexOf('?');
            return checked(null, question < 0 ? target : target.substring(0, question),
                    question < 0 ? null : target.substring(question + 1));
        }
        String lower = target.length() > 8 ? target.substring(0, 8).toLowerCase(Locale.ROOT) : target.toLowerCase(Locale.ROOT);
        int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
        if (schemeEnd < 0) {
            throw new Invalid("the request target must be a path starting with '/' or an absolute http(s) URL");
        }
        int end = schemeEnd;
        while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
            end++;
        }
        String authority = target.substring(schemeEnd, end);
        if (authority.isEmpty()) {
            throw new Invalid("the request target's URL has no host");
        }
        if (authority.indexOf('@') >= 0) {
            throw new Invalid("the request target's URL carries user information ('@'), which is not accepted");
        }
        checkAuthority(authority, "the request target's host");
        String rest = target.substring(end);
        int question = rest.indexOf('?');
        String path = question < 0 ? rest : rest.substring(0, question);
        return checked(authority, path.isEmpty() ? "/" : path, question < 0 ? null : rest.substring(question + 1));
    }

    /**
     * Refuses an authority (the Host header, or an absolute target's) that is not a host name, an IPv4 address or a
     * bracketed IPv6 address with an optional port: nothing built from it may change where a request goes.
     *
     * @param what how the message names it ({@code the Host header})
     */
    public static void checkAuthority(String authority, String what) throws Invalid {
        if (authority.isEmpty()) {
            throw new Invalid(what + " is empty");
        }
        if (!Authority.isValid(authority)) {
            throw new Invalid(what + " must be a host name or address with an optional port from 1 to 65535");
        }
    }

    private static RequestTarget checked(String authority, String path, String query) throws Invalid {
        if (query != null) {
            for (int i = 0; i < query.length(); i++) {
                char c = query.charAt(i);
                if (c == '#') {
                    throw new Invalid("the request target contains '#': a fragment is never part of a request target");
                }
                if (c < 0x21 || c >= 0x7f) {
                    throw new Invalid("the query contains a control, space or non-ASCII character (such characters must be "
                            + "percent-encoded)");
                }
            }
        }
        return new RequestTarget(authority, path, query);
    }
}
