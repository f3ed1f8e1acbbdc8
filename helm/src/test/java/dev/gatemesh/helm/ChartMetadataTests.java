package dev.gatemesh.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The chart's appVersion, the default tag of every image, is the project version: the one
 * {@code spring-boot:build-image} tags the images with ({@code gatemesh/<app>:${project.version}}).
 */
class ChartMetadataTests {

    private static String first(Pattern pattern, String text, String what) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(what).isTrue();
        return m.group(1);
    }

    @Test
    void theChartsAppVersionIsTheProjectVersion() throws IOException {
        String pom = Files.readString(ChartFiles.repository().resolve("pom.xml"));
        String projectVersion = first(Pattern.compile("<artifactId>gatemesh-parent</artifactId>\\s*<version>([^<]+)</version>"),
                pom, "the root pom's version");
        String chart = Files.readString(ChartFiles.chart().resolve("Chart.yaml"));
        assertThat(first(Pattern.compile("(?m)^appVersion: \"?([^\"\\s]+)\"?$"), chart, "appVersion")).isEqualTo(projectVersion);
        assertThat(first(Pattern.compile("(?m)^version: ([^\\s]+)$"), chart, "version")).isEqualTo(projectVersion);
    }

    @Test
    void everyAppModuleNamesItsImageAfterItself() throws IOException {
        for (String app : new String[] {"config-server", "mesh-sidecar", "ingress-gateway", "egress-gateway"}) {
            String pom = Files.readString(ChartFiles.repository().resolve(app).resolve("pom.xml"));
            assertThat(pom).as(app).contains("<name>gatemesh/" + app + ":${project.version}</name>");
        }
    }
}
