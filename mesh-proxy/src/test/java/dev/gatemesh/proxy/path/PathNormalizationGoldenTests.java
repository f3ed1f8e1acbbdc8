package dev.gatemesh.proxy.path;

import static dev.gatemesh.proxy.testing.GoldenFiles.assertGolden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The table of request targets ({@code path-normalization/forms.in.txt}: a target, a tab, what it tries) with, for every
 * option, the decision and the path that routing, policy and the app get ({@code forms.out.txt}). {@code <NUL>} and
 * {@code <DEL>} stand for the raw characters. Regenerate with {@code -Dgolden.update=true} and review the diff.
 */
class PathNormalizationGoldenTests {

    private static final Path SOURCE = Path.of("src/test/resources/path-normalization");

    @Test
    void everyFormIsNormalizedOrRefusedAsTheGoldenTableSays() throws IOException {
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(SOURCE.resolve("forms.in.txt"))) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\t", 2);
            String target = parts[0].replace("<NUL>", "\0").replace("<DEL>", "\u007f");
            out.append(parts[0]).append("   (").append(parts[1]).append(")\n");
            for (PathNormalization option : PathNormalization.values()) {
                out.append(String.format("  %-25s %s%n", option, decide(target, option)));
            }
        }
        assertGolden(SOURCE.resolve("forms.out.txt"), out.toString());
    }

    /** What a listener makes of a target: 400 and why, or the path (and query) forwarded. */
    static String decide(String target, PathNormalization option) {
        RequestTarget parsed;
        try {
            parsed = RequestTarget.parse(target);
        } catch (RequestTarget.Invalid invalid) {
            return "400 " + invalid.getMessage();
        }
        PolicyPath result = PolicyPath.of(parsed.path(), option);
        if (result.rejection() != null) {
            return "400 " + result.rejection();
        }
        return "-> " + visible(result.path()) + (parsed.query() == null ? "" : "?" + parsed.query())
                + (parsed.authority() == null ? "" : "   (host " + parsed.authority() + ")")
                + (result.otherReadings().isEmpty() ? "" : "   (policy must also allow " + String.join(", ", result.otherReadings()) + ")");
    }

    private static String visible(String path) {
        return path.replace("\0", "<NUL>").replace("\u007f", "<DEL>");
    }

    @Test
    void normalizingANormalizedPathChangesNothing() throws IOException {
        for (String line : Files.readAllLines(SOURCE.resolve("forms.in.txt"))) {
            if (line.isBlank()) {
                continue;
            }
            String target = line.split("\t", 2)[0].replace("<NUL>", "\0").replace("<DEL>", "\u007f");
            for (PathNormalization option : List.of(PathNormalization.BASE, PathNormalization.MERGE_SLASHES,
                    PathNormalization.DECODE_AND_MERGE_SLASHES)) {
                String first = decide(target, option);
                if (first.startsWith("-> ") && !target.contains("?")) {
                    String path = first.substring(3).split(" ", 2)[0];
                    org.assertj.core.api.Assertions.assertThat(PathNormalizer.normalize(path, option))
                            .as("%s under %s", target, option).isEqualTo(new PathNormalizer.Normalized(path));
                }
            }
        }
    }
}
