package dev.gatemesh.api.model;

import java.util.List;

/** The API groups Gatemesh reads, with the versions accepted as the same schema. */
public enum ApiGroup {
    NETWORKING("networking.istio.io", List.of("v1", "v1beta1", "v1alpha3"), false),
    SECURITY("security.istio.io", List.of("v1", "v1beta1"), true),
    KUBERNETES("", List.of(), false);

    private final String group;
    private final List<String> versions;
    private final boolean failClosed;

    ApiGroup(String group, List<String> versions, boolean failClosed) {
        this.group = group;
        this.versions = versions;
        this.failClosed = failClosed;
    }

    public String group() {
        return group;
    }

    public List<String> versions() {
        return versions;
    }

    /** Security configuration fails closed: a field Gatemesh cannot enforce is an error, not a warning. */
    public boolean failClosed() {
        return failClosed;
    }

    public boolean isIstio() {
        return this != KUBERNETES;
    }

    /** The group of an {@code apiVersion} such as {@code networking.istio.io/v1}; null if not ours. */
    public static ApiGroup ofIstioGroup(String group) {
        for (ApiGroup g : values()) {
            if (g.isIstio() && g.group.equals(group)) {
                return g;
            }
        }
        return null;
    }
}
