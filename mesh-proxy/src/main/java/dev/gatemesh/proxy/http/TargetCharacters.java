package dev.gatemesh.proxy.http;

/**
 * The characters a request target may hold (RFC 9112 section 3.2, RFC 3986): visible ASCII only, no fragment, and
 * every {@code %} followed by two hex digits. Other visible characters RFC 3986 leaves out ({@code " < > \ ^ ` { | }})
 * are let through, as most servers do, because clients send them unencoded in query strings.
 */
final class TargetCharacters {

    private TargetCharacters() {
    }

    /** What is wrong with the target's characters, or null. */
    static String problem(String target) {
        if (target.isEmpty()) {
            return "empty request target";
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return "control character, space or non-ASCII byte in the request target";
            }
            if (c == '#') {
                return "fragment (#) in the request target";
            }
            if (c == '%' && (i + 2 >= target.length() || !isHex(target.charAt(i + 1)) || !isHex(target.charAt(i + 2)))) {
                return "malformed percent-encoding in the request target: % must be followed by two hex digits";
            }
        }
        return null;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
