package dev.gatemesh.meshctl.local;

import java.util.List;

/** {@code meshctl local up} cannot start the mesh: the lines to print, nothing left running. */
public final class LocalUpFailure extends Exception {

    private final List<String> lines;

    LocalUpFailure(List<String> lines) {
        super(String.join("\n", lines));
        this.lines = List.copyOf(lines);
    }

    public List<String> lines() {
        return lines;
    }
}
