package dev.gatemesh.api.problem;

/** How bad a problem is: an error makes the configuration unusable, a warning does not. */
public enum Severity {
    ERROR("Error"),
    WARNING("Warning");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
