package dev.gatemesh.meshctl.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.testing.FreePorts;
import dev.gatemesh.meshctl.Meshctl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code meshctl local up} refuses to start, with a clear message and exit code 1, before anything runs. */
class LocalUpCommandTests {

    @TempDir
    Path folder;
    @TempDir
    Path home;

    private record Run(int code, String out, String err) {
    }

    private Run localUp(String... extra) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[4 + extra.length];
        args[0] = "local";
        args[1] = "up";
        args[2] = folder.toString();
        args[3] = "--home=" + home;
        System.arraycopy(extra, 0, args, 4, extra.length);
        int code = Meshctl.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aFileOverALimitSetByAFlagIsReportedInOneLineAndNothingStarts() throws Exception {
        Files.writeString(folder.resolve("deep.yaml"), "a: " + "[".repeat(1500) + "]".repeat(1500) + "\n");
        Files.writeString(folder.resolve("hosts.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: external, namespace: shop}
                spec: {hosts: [a.example.com, b.example.com, c.example.com, d.example.com, e.example.com],
                  location: MESH_EXTERNAL, resolution: DNS, ports: [{number: 443, name: tls, protocol: TLS}]}
                """);
        Run run = localUp("--max-list-length=4");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err().lines()).contains(
                "Error [GM0007] (deep.yaml:1) " + ("a" + "[0]".repeat(64)).substring(0, 80) + "...: the nesting has 65 or more levels;"
                        + " the limit (max-depth) is 64 levels; the file is rejected whole",
                "Error [GM0007] (hosts.yaml:4) spec.hosts: a list has 5 or more items; the limit (max-list-length) is 4 items;"
                        + " the file is rejected whole");
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(home.resolve("logs")).doesNotExist();
    }

    @Test
    void limitsReachTheConfigServerAsItsProperties() {
        LocalSettings settings = new LocalSettings(folder, home, 1, 2)
                .withLimits(new dev.gatemesh.api.limit.InputLimits(1024, 2, 3, 4, 5, 6, 7));
        assertThat(settings.limitProperties()).containsEntry("gatemesh.server.limits.max-file-size", "1024B")
                .containsEntry("gatemesh.server.limits.max-resources-per-file", 2)
                .containsEntry("gatemesh.server.limits.max-resources", 3)
                .containsEntry("gatemesh.server.limits.max-depth", 4)
                .containsEntry("gatemesh.server.limits.max-scalar-length", 5)
                .containsEntry("gatemesh.server.limits.max-list-length", 6)
                .containsEntry("gatemesh.server.limits.max-aliases", 7);
    }

    @Test
    void invalidConfigurationIsReportedLikeAnalyzeAndNothingStarts() throws Exception {
        Files.writeString(folder.resolve("routes.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: shop}
                spec:
                  hosts: [reviews]
                  http:
                  - route:
                    - destination: {host: reviews}
                      weight: 120
                """);
        Run run = localUp();
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("Error [GM0201] VirtualService shop/reviews (routes.yaml:9) spec.http[0].route[0].weight")
                .contains("has 2 errors; nothing was started.").doesNotContain("Exception");
        assertThat(run.out()).isEmpty();
        assertThat(home.resolve("logs")).doesNotExist();
    }

    @Test
    void aWorkloadEntryWithoutSidecarPortsIsRefusedWithTheAnnotationsToSet() throws Exception {
        Files.writeString(folder.resolve("workloads.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata: {name: ratings-v1, namespace: shop}
                spec:
                  address: 127.0.0.1
                  labels: {app: ratings}
                  ports: {http: 9080}
                """);
        Run run = localUp();
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("WorkloadEntry shop/ratings-v1 (workloads.yaml:1) metadata.annotations")
                .contains("sidecar.gatemesh.dev/inboundPort").contains("sidecar.gatemesh.dev/outboundPort");
    }

    @Test
    void aPortInUseIsNamedWithWhatWantsItAndWhereItIsDeclared() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            Files.writeString(folder.resolve("workloads.yaml"), """
                    apiVersion: networking.istio.io/v1
                    kind: WorkloadEntry
                    metadata:
                      name: ratings-v1
                      namespace: shop
                      annotations:
                        sidecar.gatemesh.dev/inboundPort: "%d"
                        sidecar.gatemesh.dev/outboundPort: "%d"
                    spec:
                      address: 127.0.0.1
                      labels: {app: ratings}
                      ports: {http: 9080}
                    """.formatted(taken.getLocalPort(), FreePorts.next()));
            Run run = localUp("--control-plane-port=" + FreePorts.next(), "--management-port=" + FreePorts.next());
            assertThat(run.code()).isEqualTo(1);
            assertThat(run.err()).contains("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use; it is the inbound "
                    + "listener of ratings-v1, declared at WorkloadEntry shop/ratings-v1 (workloads.yaml:1)")
                    .contains("nothing was started.");
        }
    }

    @Test
    void aFolderThatIsNotThereIsAClearError() {
        StringWriter err = new StringWriter();
        int code = Meshctl.commandLine().setErr(new PrintWriter(err))
                .execute("local", "up", folder.resolve("missing").toString(), "--home=" + home);
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("is not a folder of YAML");
    }
}
