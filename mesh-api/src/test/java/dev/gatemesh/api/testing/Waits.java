package dev.gatemesh.api.testing;

import java.time.Duration;

/** How long a test waits (with Awaitility) for something that should happen: an upper bound, never a pause. */
public final class Waits {

    /** Long enough for a busy 2-core CI machine; a passing test never waits it out. */
    public static final Duration WAIT = Duration.ofSeconds(30);

    private Waits() {
    }
}
