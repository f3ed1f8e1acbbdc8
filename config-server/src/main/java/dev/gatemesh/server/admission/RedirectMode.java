package dev.gatemesh.server.admission;

import java.util.Locale;

/** How an injected pod's outbound HTTP reaches its sidecar. */
public enum RedirectMode {
    /** An init container installs iptables rules (needs NET_ADMIN and NET_RAW, runs as root); transparent to the app. */
    IPTABLES("iptables"),
    /** {@code HTTP_PROXY} and friends on the app's containers; only clients that honour them are meshed. */
    HTTP_PROXY("http-proxy");

    private final String value;

    RedirectMode(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** @throws IllegalArgumentException with a message naming the accepted values */
    public static RedirectMode parse(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (RedirectMode mode : values()) {
            if (mode.value.equals(wanted)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" is not a redirect mode; expected iptables or http-proxy");
    }
}
