package dev.gatemesh.api.limit;

/**
 * One of the {@link InputLimits}, with the name users set it by: {@code max-file-size} is the flag
 * {@code --max-file-size} of {@code meshctl analyze} and the property {@code gatemesh.server.limits.max-file-size}.
 */
public enum Limit {
    FILE_SIZE("max-file-size", "bytes"),
    RESOURCES_PER_FILE("max-resources-per-file", "resources"),
    RESOURCES("max-resources", "resources"),
    DEPTH("max-depth", "levels"),
    SCALAR_LENGTH("max-scalar-length", "characters"),
    LIST_LENGTH("max-list-length", "items"),
    ALIASES("max-aliases", "aliases");

    private final String settingName;
    private final String unit;

    Limit(String settingName, String unit) {
        this.settingName = settingName;
        this.unit = unit;
    }

    /** The name of the flag and of the property (after {@code gatemesh.server.limits.}). */
    public String settingName() {
        return settingName;
    }

    public String unit() {
        return unit;
    }
}
