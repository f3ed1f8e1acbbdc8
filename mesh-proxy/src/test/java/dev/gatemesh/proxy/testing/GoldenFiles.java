package dev.gatemesh.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Golden-file comparison: the expected output is a reviewed file, regenerated with {@code -Dgolden.update=true}. */
public final class GoldenFiles {

    private GoldenFiles() {
    }

    /** {@code actual} equals the golden file (written first with {@code -Dgolden.update=true} or when missing). */
    public static void assertGolden(Path golden, String actual) throws IOException {
        if (Boolean.getBoolean("golden.update") || !Files.exists(golden)) {
            Files.writeString(golden, actual);
        }
        assertThat(actual).as("%s; run with -Dgolden.update=true to regenerate", golden).isEqualTo(Files.readString(golden));
    }
}
