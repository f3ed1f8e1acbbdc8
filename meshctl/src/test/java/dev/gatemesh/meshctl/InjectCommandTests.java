package dev.gatemesh.meshctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meshctl inject} against golden manifests in {@code src/test/resources/inject/} ({@code <case>.in.yaml} ->
 * {@code <case>.out.yaml}; regenerate with {@code -Dgolden.update=true} and review the diff).
 */
class InjectCommandTests {

    private static final Path GOLDEN = Path.of("src/test/resources/inject");

    @TempDir
    Path folder;

    private static void assertGolden(String name, String actual) throws IOException {
        Path golden = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.update") || !Files.exists(golden)) {
            Files.writeString(golden, actual);
        }
        assertThat(actual).as("%s; run with -Dgolden.update=true to regenerate", golden).isEqualTo(Files.readString(golden));
    }

    @Test
    void injectsEveryPodTemplateAndPassesOtherDocumentsThroughAsWritten() throws IOException {
        CliRun run = CliRun.of("inject", "-f", GOLDEN.resolve("workloads.in.yaml").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertGolden("workloads.out.yaml", run.out());
        String input = Files.readString(GOLDEN.resolve("workloads.in.yaml"));
        assertThat(run.out()).startsWith(input.substring(0, input.indexOf("---\n") + 4));
        assertThat(run.err()).contains("workloads.in.yaml:57: Pod debug left unchanged: the pod opts out");
    }

    @Test
    void theInjectedManifestParsesIntoTypedWorkloadsWithTheNativeSidecarFirst() throws IOException {
        Path out = folder.resolve("injected.yaml");
        CliRun run = CliRun.of("inject", "-f", GOLDEN.resolve("workloads.in.yaml").toString(), "-o", out.toString(),
                "--sidecar-image", "registry.example/mesh-sidecar:2");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEmpty();
        List<HasMetadata> objects = new KubernetesSerialization().unmarshal(Files.readString(out));
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Service", "Deployment", "CronJob", "Pod");
        Deployment deployment = (Deployment) objects.get(1);
        var spec = deployment.getSpec().getTemplate().getSpec();
        assertThat(spec.getInitContainers()).extracting(Container::getName).containsExactly("gatemesh-init", "gatemesh-proxy");
        assertThat(spec.getInitContainers().get(1).getImage()).isEqualTo("registry.example/mesh-sidecar:2");
        assertThat(spec.getInitContainers().get(1).getResources().getRequests().get("cpu").toString()).isEqualTo("50m");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("sidecar.gatemesh.dev/inboundPort", "15006");
        var cronPod = ((CronJob) objects.get(2)).getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(cronPod.getInitContainers()).extracting(Container::getName).containsExactly("gatemesh-proxy");
        assertThat(cronPod.getContainers().get(0).getEnv()).extracting(e -> e.getName()).contains("HTTP_PROXY");
    }

    @Test
    void injectingAnInjectedManifestChangesNothing() throws IOException {
        Path once = folder.resolve("once.yaml");
        assertThat(CliRun.of("inject", "-f", GOLDEN.resolve("workloads.in.yaml").toString(), "-o", once.toString()).exitCode())
                .isZero();

        CliRun twice = CliRun.of("inject", "-f", once.toString());

        assertThat(twice.exitCode()).isZero();
        assertThat(twice.out()).isEqualTo(Files.readString(once));
    }

    @Test
    void errorsNameTheFileLineAndFieldAndNothingIsWritten() throws IOException {
        Path manifest = folder.resolve("broken.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: ratings
                spec:
                  template:
                    spec:
                      containers:
                      - name: ratings
                        image: ratings:1
                        ports:
                        - containerPort: nine
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: details
                  annotations:
                    sidecar.gatemesh.dev/proxyMemory: lots
                spec:
                  containers:
                  - name: details
                    image: details:1
                """);

        CliRun run = CliRun.of("inject", "-f", manifest.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(
                manifest + ":16: spec.template.spec.containers[0].ports[0].containerPort: \"nine\" is not an integer",
                manifest + ":23: Pod details: metadata.annotations[\"sidecar.gatemesh.dev/proxyMemory\"]: \"lots\" is not a "
                        + "quantity; expected e.g. 128Mi or 1Gi",
                "2 errors; no manifest written.")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void aWorkloadOfAnApiVersionNotReadIsLeftAsWrittenWithANote() throws IOException {
        Path manifest = folder.resolve("old.yaml");
        String text = "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: old}\nspec: {}\n";
        Files.writeString(manifest, text);

        CliRun run = CliRun.of("inject", "-f", manifest.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(text);
        assertThat(run.err()).contains(manifest + ":1: Deployment left unchanged: apiVersion extensions/v1beta1 is not read; "
                + "expected apps/v1");
    }

    @Test
    void invalidYamlIsReportedWithItsLine() throws IOException {
        Path manifest = folder.resolve("syntax.yaml");
        Files.writeString(manifest, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n");

        CliRun run = CliRun.of("inject", "-f", manifest.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith(manifest + ":").contains("invalid YAML");
    }

    @Test
    void aMissingFileOrAnUnknownRedirectIsAUsageError() {
        assertThat(CliRun.of("inject", "-f", folder.resolve("absent.yaml").toString()).exitCode()).isEqualTo(2);
        CliRun redirect = CliRun.of("inject", "-f", GOLDEN.resolve("workloads.in.yaml").toString(), "--redirect", "ebpf");
        assertThat(redirect.exitCode()).isEqualTo(2);
        assertThat(redirect.err()).contains("--redirect: \"ebpf\" is not a redirect mode; expected iptables or http-proxy");
        CliRun cpu = CliRun.of("inject", "-f", GOLDEN.resolve("workloads.in.yaml").toString(), "--proxy-cpu", "fast");
        assertThat(cpu.exitCode()).isEqualTo(2);
        assertThat(cpu.err()).contains("resources.requests.cpu: \"fast\" is not a quantity; expected e.g. 100m or 0.5");
    }
}
