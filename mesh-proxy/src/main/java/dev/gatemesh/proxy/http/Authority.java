package dev.gatemesh.proxy.http;

/**
 * The syntax of {@code host[:port]} as Host and absolute targets carry it: a host name or IPv4 address (letters,
 * digits, {@code - . _}: stricter than RFC 3986's reg-name, whose sub-delimiters and percent-escapes name no host a
 * proxy can route to), or an IPv6 literal in brackets, then an optional decimal port from 1 to 65535. No userinfo.
 */
public final class Authority {

    private static final String NAME_PUNCTUATION = "-._";

    private Authority() {
    }

    public static boolean isValid(String authority) {
        if (authority == null || authority.isEmpty()) {
            return false;
        }
        String host;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return false;
            }
            host = authority.substring(1, close);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return false;
            }
            port = rest.isEmpty() ? null : rest.substring(1);
            if (host.isEmpty() || !all(host, true)) {
                return false;
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
            if (host.isEmpty() || !all(host, false)) {
                return false;
            }
        }
        return port == null || validPort(port);
    }

    /** The authority's port, or -1 when it names none (call {@link #isValid} first). */
    static int port(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || authority.indexOf(']') > colon) {
            return -1;
        }
        return Integer.parseInt(authority.substring(colon + 1));
    }

    private static boolean validPort(String port) {
        if (port.isEmpty() || port.length() > 5 || !digits(port)) {
            return false;
        }
        int value = Integer.parseInt(port);
        return value > 0 && value <= 65535;
    }

    /** Loops rather than streams: this runs on every request, twice (the parser's screen and the request view). */
    private static boolean all(String host, boolean ipv6) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (ipv6 ? Character.digit(c, 16) < 0 && c != ':' && c != '.' : !isRegNameChar(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean digits(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isRegNameChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || NAME_PUNCTUATION.indexOf(c) >= 0;
    }
}
