package dev.gatemesh.meshctl.local;

import java.nio.file.Path;

/** A component of the local mesh could not start: what, why, and where its log is. */
public final class ComponentFailure extends Exception {

    private final String component;
    private final Path log;

    ComponentFailure(String component, String reason, Path log) {
        super(component + " failed to start: " + reason + (log == null ? "" : " (log: " + log + ")"));
        this.component = component;
        this.log = log;
    }

    public String component() {
        return component;
    }

    public Path log() {
        return log;
    }
}
