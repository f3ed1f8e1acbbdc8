package dev.gatemesh.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.write.ManifestWriter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files for gateways: {@code gateways/<case>.in.yaml} (first line
 * {@code # proxy: role=INGRESS_GATEWAY namespace=istio-system serviceAccount=sa labels=istio=ingressgateway})
 * translates to exactly {@code gateways/<case>.out.yaml}. Regenerate with {@code -Dgolden.update=true}.
 */
class GatewayTableGoldenTests {

    private static final Path SOURCE = Path.of("src/test/resources/gateways");

    static GatewayTable table(String name) throws IOException {
        String input = Files.readString(SOURCE.resolve(name + ".in.yaml"));
        RouteTableGoldenTests.Case loaded = RouteTableGoldenTests.load(name, input);
        return GatewayTableBuilder.build(loaded.snapshot(), loaded.node(), loaded.options());
    }

    static Stream<String> cases() throws IOException, URISyntaxException {
        return RouteTableGoldenTests.casesIn("gateways");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void translatesToTheGoldenGatewayTable(String name) throws Exception {
        String actual = ManifestWriter.toYamlText(GatewayTableDump.toPlain(table(name)));
        dev.gatemesh.proxy.testing.GoldenFiles.assertGolden(SOURCE.resolve(name + ".out.yaml"), actual);
    }

    @Test
    void aRequestedHostFindsItsServerAndRoutesOrNothing() throws Exception {
        GatewayTable table = table("01-bookinfo-http-and-https");
        GatewayListener https = table.listeners().get(443);
        assertThat(https.serverFor("bookinfo.example.com:443").tls().credentialName()).isEqualTo("bookinfo-credential");
        assertThat(https.routes().lookup("bookinfo.example.com")).isNotNull();
        assertThat(https.routes().lookup("unknown.example.com")).isNull();
        assertThat(https.serverFor("unknown.example.com")).isNull();
    }
}
