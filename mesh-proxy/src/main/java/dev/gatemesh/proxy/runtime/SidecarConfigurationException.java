package dev.gatemesh.proxy.runtime;

/** A sidecar cannot start with its settings: what is wrong, and which setting fixes it. */
public final class SidecarConfigurationException extends RuntimeException {

    private final String action;

    public SidecarConfigurationException(String message, String action) {
        super(message);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
