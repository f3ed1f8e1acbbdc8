package dev.gatemesh.ca.policy;

import java.time.Duration;

/** Durations as people write them in configuration: {@code 90d}, {@code 24h}, {@code 90m}, {@code 5s}. */
public final class DurationText {

    private DurationText() {
    }

    public static String of(Duration duration) {
        long seconds = duration.getSeconds();
        if (duration.getNano() != 0 || seconds == 0) {
            return duration.toMillis() + "ms";
        }
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
