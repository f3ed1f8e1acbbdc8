package dev.gatemesh.proxy.route;

import static dev.gatemesh.proxy.testing.GoldenFiles.assertGolden;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.LoadResult;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.problem.Severity;
import dev.gatemesh.api.registry.ServiceEntryRegistry;
import dev.gatemesh.api.snapshot.MeshConfig;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.api.snapshot.SnapshotBuilder;
import dev.gatemesh.api.write.ManifestWriter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: {@code routes/<case>.in.yaml} (Istio resources, and the proxy in a first comment line
 * {@code # proxy: namespace=bookinfo serviceAccount=sa labels=app=x,version=v1 [outbound=REGISTRY_ONLY]})
 * translates to exactly {@code routes/<case>.out.yaml}. Regenerate with {@code -Dgolden.update=true}
 * and review the diff.
 */
class RouteTableGoldenTests {

    private static final Path SOURCE = Path.of("src/test/resources/routes");

    /** A case's table by name (other tests reuse the golden inputs). */
    static RouteTable table(String name) throws IOException {
        return table(name, Files.readString(SOURCE.resolve(name + ".in.yaml")));
    }

    static Stream<String> cases() throws IOException, URISyntaxException {
        return casesIn("routes");
    }

    /** The names of the cases ({@code <name>.in.yaml}) in a test-resources folder, sorted. */
    static Stream<String> casesIn(String resourceFolder) throws IOException, URISyntaxException {
        Path folder = Path.of(RouteTableGoldenTests.class.getClassLoader().getResource(resourceFolder).toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".in.yaml"))
                    .map(n -> n.substring(0, n.length() - ".in.yaml".length())).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void translatesToTheGoldenRouteTable(String name) throws Exception {
        String input = Files.readString(SOURCE.resolve(name + ".in.yaml"));
        String actual = translate(name, input);
        assertGolden(SOURCE.resolve(name + ".out.yaml"), actual);
    }

    static String translate(String name, String input) {
        return ManifestWriter.toYamlText(RouteTableDump.toPlain(table(name, input)));
    }

    /** The snapshot of the proxy the first line describes ({@code role=} too), from the case's resources. */
    static Case load(String name, String input) {
        Map<String, String> proxy = proxyLine(input);
        LoadOptions options = LoadOptions.DEFAULTS;
        LoadResult loaded = new ManifestLoader(options).loadText(name + ".in.yaml", input);
        assertThat(loaded.problems()).as("the case's resources are valid (warnings allowed)")
                .noneMatch(problem -> problem.severity() == Severity.ERROR);
        List<Resource<?>> resources = loaded.validResources();
        MeshConfig config = new MeshConfig(resources, ServiceEntryRegistry.build(resources, options), options);
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : proxy.getOrDefault("labels", "").split(",")) {
            if (!pair.isBlank()) {
                labels.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        ProxyNode node = new ProxyNode("test-proxy", ProxyRole.valueOf(proxy.getOrDefault("role", "SIDECAR")),
                proxy.get("namespace"), proxy.get("serviceAccount"), labels);
        return new Case(SnapshotBuilder.build(config, node.proxyClass()), node, options, proxy);
    }

    /** A case's proxy, its snapshot, and the other settings of its first line. */
    record Case(dev.gatemesh.api.snapshot.ProxySnapshot snapshot, ProxyNode node, LoadOptions options,
                Map<String, String> settings) {
    }

    /** The route table of the proxy the first line describes, from the case's resources. */
    static RouteTable table(String name, String input) {
        Case loaded = load(name, input);
        return RouteTableBuilder.build(loaded.snapshot(), loaded.node(), loaded.options(),
                RouteTable.OutboundPolicy.valueOf(loaded.settings().getOrDefault("outbound", "ALLOW_ANY")));
    }

    private static Map<String, String> proxyLine(String input) {
        String first = input.lines().findFirst().orElse("");
        assertThat(first).as("the first line describes the proxy").startsWith("# proxy:");
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : first.substring("# proxy:".length()).trim().split("\\s+")) {
            out.put(part.substring(0, part.indexOf('=')), part.substring(part.indexOf('=') + 1));
        }
        return out;
    }
}
