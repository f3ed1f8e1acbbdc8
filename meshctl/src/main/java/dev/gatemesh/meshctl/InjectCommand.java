package dev.gatemesh.meshctl;

import dev.gatemesh.meshctl.inject.ManifestInjector;
import dev.gatemesh.server.admission.InjectionProperties;
import dev.gatemesh.server.admission.InjectionSettings;
import dev.gatemesh.server.admission.RedirectMode;
import dev.gatemesh.server.admission.SidecarInjector;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code meshctl inject -f deployment.yaml}: the sidecar injection webhook's work done ahead of time, for GitOps
 * pipelines that commit what they apply. The same injector as the config server's, with the Helm chart's defaults.
 */
@Command(name = "inject", mixinStandardHelpOptions = true,
        description = "Print a manifest with the Gatemesh sidecar injected into every pod it creates (Pods, Deployments, "
                + "StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs); other documents pass through unchanged.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:manifest written", "1:a workload cannot be read or injected (nothing written)",
                "2:usage error or unreadable file"})
final class InjectCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE", description = "The manifest (multi-document YAML).")
    private Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the manifest here instead of to standard output.")
    private Path output;

    @Option(names = "--sidecar-image", defaultValue = InjectionProperties.DEFAULT_SIDECAR_IMAGE,
            description = "The mesh-sidecar image (default: ${DEFAULT-VALUE}).")
    private String sidecarImage;

    @Option(names = "--init-image", defaultValue = InjectionProperties.DEFAULT_INIT_IMAGE,
            description = "The image of the iptables init container (default: ${DEFAULT-VALUE}).")
    private String initImage;

    @Option(names = "--redirect", defaultValue = InjectionProperties.DEFAULT_REDIRECT,
            description = "iptables or http-proxy (default: ${DEFAULT-VALUE}); a pod's sidecar.gatemesh.dev/redirect wins.")
    private String redirect;

    @Option(names = "--proxy-uid", defaultValue = InjectionProperties.DEFAULT_PROXY_UID,
            description = "The sidecar's user id, exempt from the redirect (default: ${DEFAULT-VALUE}).")
    private long proxyUid;

    @Option(names = "--proxy-cpu", defaultValue = InjectionProperties.DEFAULT_CPU_REQUEST,
            description = "The sidecar's CPU request (default: ${DEFAULT-VALUE}; empty for none).")
    private String proxyCpu;

    @Option(names = "--proxy-memory", defaultValue = InjectionProperties.DEFAULT_MEMORY_REQUEST,
            description = "The sidecar's memory request (default: ${DEFAULT-VALUE}; empty for none).")
    private String proxyMemory;

    @Option(names = "--proxy-cpu-limit", defaultValue = "", description = "The sidecar's CPU limit (default: none).")
    private String proxyCpuLimit;

    @Option(names = "--proxy-memory-limit", defaultValue = InjectionProperties.DEFAULT_MEMORY_LIMIT,
            description = "The sidecar's memory limit (default: ${DEFAULT-VALUE}; empty for none).")
    private String proxyMemoryLimit;

    @Option(names = "--root-namespace", defaultValue = "gatemesh-system",
            description = "The mesh's root namespace, where the config server runs (default: ${DEFAULT-VALUE}).")
    private String rootNamespace;

    @Option(names = "--control-plane", paramLabel = "URL",
            description = "The config server's mesh port as sidecars dial it (default: "
                    + "https://gatemesh-config-server.<root-namespace>.svc:15012).")
    private URI controlPlane;

    @Option(names = "--trust-domain", defaultValue = "cluster.local", description = "The mesh's trust domain (default: ${DEFAULT-VALUE}).")
    private String trustDomain;

    @Option(names = "--domain-suffix", defaultValue = "cluster.local", description = "The cluster's DNS suffix (default: ${DEFAULT-VALUE}).")
    private String domainSuffix;

    @Option(names = "--exclude-outbound-ports", split = ",", paramLabel = "PORT",
            defaultValue = InjectionProperties.DEFAULT_EXCLUDE_OUTBOUND_PORTS,
            description = "Destination ports the iptables redirect leaves alone (default: ${DEFAULT-VALUE}; the sidecar's "
                    + "outbound listener speaks HTTP only).")
    private List<Integer> excludeOutboundPorts;

    @Option(names = "--path-normalization", defaultValue = InjectionProperties.DEFAULT_PATH_NORMALIZATION, paramLabel = "OPTION",
            description = "How the sidecars normalize request paths: NONE, BASE, MERGE_SLASHES or DECODE_AND_MERGE_SLASHES "
                    + "(default: ${DEFAULT-VALUE}).")
    private String pathNormalization;

    @Option(names = "--image-pull-policy", description = "The injected containers' pull policy (default: Kubernetes' own).")
    private String imagePullPolicy;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        RedirectMode mode;
        try {
            mode = RedirectMode.parse(redirect);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--redirect: " + e.getMessage());
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            err.println("meshctl: " + file + ": the file is not UTF-8 text");
            return 2;
        } catch (IOException e) {
            err.println("meshctl: " + file + ": cannot read the file (" + e.getMessage() + ")");
            return 2;
        }
        InjectionSettings settings;
        try {
            settings = new InjectionSettings(sidecarImage, initImage, mode, proxyUid,
                    quantities("cpu", proxyCpu, "memory", proxyMemory),
                    quantities("cpu", proxyCpuLimit, "memory", proxyMemoryLimit),
                    controlPlane != null ? controlPlane : InjectionSettings.defaultControlPlane(rootNamespace), trustDomain,
                    rootNamespace, domainSuffix, imagePullPolicy, excludeOutboundPorts, pathNormalization);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ManifestInjector.Outcome outcome = new ManifestInjector(new SidecarInjector(settings)).inject(file.toString(), text);
        outcome.notes().forEach(err::println);
        if (!outcome.errors().isEmpty()) {
            outcome.errors().forEach(err::println);
            err.println(outcome.errors().size() + (outcome.errors().size() == 1 ? " error" : " errors")
                    + "; no manifest written.");
            err.flush();
            return 1;
        }
        if (output != null) {
            try {
                Files.writeString(output, outcome.manifest(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("meshctl: " + output + ": cannot write the file (" + e.getMessage() + ")");
                return 2;
            }
        } else {
            PrintWriter out = spec.commandLine().getOut();
            out.print(outcome.manifest());
            out.flush();
        }
        err.flush();
        return 0;
    }

    private static Map<String, String> quantities(String firstName, String first, String secondName, String second) {
        Map<String, String> out = new LinkedHashMap<>();
        if (first != null && !first.isBlank()) {
            out.put(firstName, first.trim());
        }
        if (second != null && !second.isBlank()) {
            out.put(secondName, second.trim());
        }
        return out;
    }
}
