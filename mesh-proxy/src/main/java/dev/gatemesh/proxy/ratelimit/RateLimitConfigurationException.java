package dev.gatemesh.proxy.ratelimit;

import java.util.List;

/** Rate limits that cannot be used, with every problem found, each naming its property path. */
public class RateLimitConfigurationException extends IllegalArgumentException {

    private final List<String> problems;

    public RateLimitConfigurationException(List<String> problems) {
        super("Invalid rate limits:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
