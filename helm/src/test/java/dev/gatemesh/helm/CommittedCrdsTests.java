package dev.gatemesh.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.crd.CrdFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The chart's CRDs are the generator's output for the model as it is now: a change to a model record (a new
 * field, a new kind) fails here until the file is regenerated, with {@code -Dgatemesh.crds.write=true}.
 */
class CommittedCrdsTests {

    @Test
    void theCommittedCrdsAreWhatTheModelGenerates() throws IOException {
        Path file = ChartFiles.chart().resolve("templates/crds.yaml");
        if (Boolean.getBoolean("gatemesh.crds.write")) {
            CrdFile.write(file);
        }
        String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        assertThat(committed)
                .withFailMessage(() -> file + " differs from what the model generates now; regenerate it with:\n  "
                        + CrdFile.REGENERATE)
                .isEqualTo(CrdFile.text());
    }
}
