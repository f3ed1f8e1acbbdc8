package dev.gatemesh.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Golden files under src/test/resources/golden: compared, or rewritten with -Dgolden.update=true. */
public final class Golden {

    private Golden() {
    }

    public static void assertMatches(String name, String actual) throws IOException {
        Path file = Path.of("src", "test", "resources", "golden", name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual);
            return;
        }
        assertThat(file).as("golden file %s (create it with -Dgolden.update=true)", file).exists();
        assertThat(actual).as("golden file %s; regenerate with -Dgolden.update=true and review the diff", file)
                .isEqualTo(Files.readString(file));
    }
}
