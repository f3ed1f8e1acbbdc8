package dev.gatemesh.api.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.Fixtures;
import dev.gatemesh.api.problem.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's egress walk-through is a configuration that loads and analyzes without a problem, as written. */
class ReadmeEgressWalkthroughTests {

    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theEgressWalkthroughsManifestsAnalyzeClean(@TempDir Path folder) throws IOException {
        String readme = Files.readString(Fixtures.repositoryRoot().resolve("README.md"));
        int start = readme.indexOf("## The egress gateway");
        int end = readme.indexOf("\n## ", start + 1);
        assertThat(start).as("README has the egress section").isNotNegative();
        StringBuilder manifests = new StringBuilder();
        Matcher block = YAML_BLOCK.matcher(readme.substring(start, end));
        int blocks = 0;
        while (block.find()) {
            manifests.append(block.group(1)).append("---\n");
            blocks++;
        }
        assertThat(blocks).isGreaterThanOrEqualTo(6);
        // What the Helm chart installs (local mode generates the same): the egress gateway and its Service.
        manifests.append("""
                apiVersion: v1
                kind: Service
                metadata: {name: istio-egressgateway, namespace: istio-system}
                spec:
                  selector: {istio: egressgateway}
                  ports: [{name: tls, port: 443}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: istio-egressgateway, namespace: istio-system}
                spec:
                  selector: {matchLabels: {istio: egressgateway}}
                  template:
                    metadata: {labels: {istio: egressgateway}}
                    spec:
                      containers: [{name: egress-gateway, image: gatemesh/egress-gateway}]
                """);
        Path file = Files.writeString(folder.resolve("egress.yaml"), manifests.toString());

        AnalysisReport report = AnalysisReport.of(List.of(file), LoadOptions.DEFAULTS);

        assertThat(report.problems()).extracting(Problem::toLine).isEmpty();
        assertThat(report.resourceCount()).as("the nine walk-through resources are read").isGreaterThanOrEqualTo(9);
    }
}
