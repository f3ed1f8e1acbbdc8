package dev.gatemesh.meshctl.local;

import dev.gatemesh.api.analyze.MeshAnalyzer;
import dev.gatemesh.api.load.LoadResult;
import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.model.Gateway;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.WorkloadEntry;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.server.source.FileConfigSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a local mesh's folder into a {@link LocalPlan}: a sidecar for every WorkloadEntry on 127.0.0.1,
 * the ingress (egress) gateway when a Gateway selects {@code istio: ingressgateway} or
 * {@code gatemesh: ingressgateway} ({@code egressgateway}), and every problem that stops the mesh from starting.
 */
public final class LocalPlanner {

    static final String LOOPBACK = "127.0.0.1";

    /** A gateway role of local mode: the labels that select it and the identity it gets when the folder declares none. */
    enum GatewayKind {
        INGRESS(ProxyRole.INGRESS_GATEWAY, "ingressgateway", "istio-ingressgateway"),
        EGRESS(ProxyRole.EGRESS_GATEWAY, "egressgateway", "istio-egressgateway");

        final ProxyRole role;
        final String label;
        final String name;

        GatewayKind(ProxyRole role, String label, String name) {
            this.role = role;
            this.label = label;
            this.name = name;
        }

        /** The labels of the gateway local mode provides: Istio's and Gatemesh's. */
        Map<String, String> labels() {
            return Map.of("istio", label, "gatemesh", label, "app", name);
        }

        boolean isLabelledBy(Map<String, String> labels) {
            return label.equals(labels.get("istio")) || label.equals(labels.get("gatemesh"));
        }
    }

    /** Where the gateways live when the folder does not say: Istio's namespace, so Istio's policies name them as usual. */
    static final String GATEWAY_NAMESPACE = "istio-system";

    private LocalPlanner() {
    }

    public static LocalPlan plan(Path folder, LoadOptions options) {
        List<Path> paths = FileConfigSource.manifestPaths(folder);
        ManifestLoader loader = new ManifestLoader(options);
        LoadResult loaded = loader.loadPaths(paths);
        LocalPlan planned = plan(loaded.validResources(), List.of());
        // Analyzed as the config server will serve it: with what local mode generates (the gateways' identities, and
        // the egress gateway's service that VirtualServices route to).
        List<Resource<?>> served = new ArrayList<>(loaded.allResources());
        served.addAll(loader.loadText("generated/gateways.yaml", planned.generatedManifests()).allResources());
        List<Problem> problems = new ArrayList<>(loaded.problems());
        problems.addAll(new MeshAnalyzer(options).analyze(served));
        problems.sort(Problem.BY_PLACE);
        List<String> errors = new ArrayList<>(problems.stream().filter(Problem::isError).map(Problem::toLine).toList());
        errors.addAll(planned.errors());
        LocalPlan plan = new LocalPlan(planned.components(), planned.generatedManifests(), errors);
        // File names relative to the folder, which the first line of the report names.
        String prefix = folder.toAbsolutePath().normalize() + java.io.File.separator;
        return new LocalPlan(plan.components().stream().map(c -> c.withPortsDeclaredIn(prefix)).toList(),
                plan.generatedManifests(), plan.errors().stream().map(line -> line.replace(prefix, "")).toList());
    }

    static LocalPlan plan(List<Resource<?>> resources, List<String> errors) {
        List<String> problems = new ArrayList<>(errors);
        List<LocalComponent> components = new ArrayList<>();
        StringBuilder generated = new StringBuilder();
        List<Resource<WorkloadEntry>> local = resources.stream().filter(r -> r.kind() == Kind.WORKLOAD_ENTRY)
                .map(r -> r.as(WorkloadEntry.class)).filter(r -> LOOPBACK.equals(r.spec().address())).toList();
        for (GatewayKind kind : GatewayKind.values()) {
            List<Resource<Gateway>> gateways = resources.stream().filter(r -> r.kind() == Kind.GATEWAY)
                    .map(r -> r.as(Gateway.class)).filter(g -> selects(g.spec(), kind.labels())).toList();
            List<Resource<WorkloadEntry>> declared = local.stream().filter(e -> kind.isLabelledBy(e.spec().labels())).toList();
            if (gateways.isEmpty() && declared.isEmpty()) {
                continue;
            }
            if (declared.isEmpty()) {
                components.add(gateway(kind, kind.name, GATEWAY_NAMESPACE, kind.name + "-service-account", kind.labels(),
                        gateways, true));
                generated.append(workloadEntryYaml(kind));
                if (kind == GatewayKind.EGRESS && !declaresHost(resources, kind.name + "." + GATEWAY_NAMESPACE + ".svc.cluster.local")) {
                    generated.append(egressServiceEntryYaml(gateways));
                }
            }
            for (Resource<WorkloadEntry> entry : declared) {
                List<Resource<Gateway>> selecting = resources.stream().filter(r -> r.kind() == Kind.GATEWAY)
                        .map(r -> r.as(Gateway.class)).filter(g -> selects(g.spec(), entry.spec().labels())).toList();
                components.add(gateway(kind, entry.name(), entry.namespace(), entry.spec().serviceAccount(),
                        entry.spec().labels(), selecting, false));
            }
        }
        for (Resource<WorkloadEntry> entry : local) {
            if (java.util.Arrays.stream(GatewayKind.values()).anyMatch(k -> k.isLabelledBy(entry.spec().labels()))) {
                continue;
            }
            LocalComponent sidecar = sidecar(entry, problems);
            if (sidecar != null) {
                components.add(sidecar);
            }
        }
        problems.addAll(portClashes(components));
        return new LocalPlan(components, generated.toString(), problems);
    }

    private static boolean selects(Gateway gateway, Map<String, String> labels) {
        return !gateway.selector().isEmpty()
                && gateway.selector().entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static LocalComponent gateway(GatewayKind kind, String name, String namespace, String serviceAccount,
                                          Map<String, String> labels, List<Resource<Gateway>> gateways, boolean generated) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        for (Resource<Gateway> gateway : gateways) {
            for (Gateway.Server server : gateway.spec().servers()) {
                if (server.port() != null && server.port().number() != null) {
                    ports.putIfAbsent(server.port().number(), "Gateway " + gateway.namespace() + "/" + gateway.name() + " ("
                            + where(gateway) + ")");
                }
            }
        }
        List<LocalComponent.PortUse> uses = new ArrayList<>();
        ports.forEach((port, declaredAt) -> uses.add(new LocalComponent.PortUse(port, name, "a server port", declaredAt)));
        return new LocalComponent(name, kind.role, namespace, serviceAccount, labels, 0, 0, List.of(), uses, generated);
    }

    private static LocalComponent sidecar(Resource<WorkloadEntry> entry, List<String> problems) {
        Map<String, String> annotations = entry.metadata().annotations();
        String inbound = annotations.get(WorkloadEntry.INBOUND_PORT_ANNOTATION);
        String outbound = annotations.get(WorkloadEntry.OUTBOUND_PORT_ANNOTATION);
        String at = where(entry);
        if (inbound == null || outbound == null) {
            problems.add("Error [local] WorkloadEntry " + entry.namespace() + "/" + entry.name() + " (" + at
                    + ") metadata.annotations: local mode starts a sidecar for every WorkloadEntry on 127.0.0.1 and needs "
                    + "its listeners: set " + WorkloadEntry.INBOUND_PORT_ANNOTATION + " and " + WorkloadEntry.OUTBOUND_PORT_ANNOTATION
                    + " (for example \"16080\" and \"17080\")");
            return null;
        }
        if (entry.spec().ports().isEmpty()) {
            problems.add("Error [local] WorkloadEntry " + entry.namespace() + "/" + entry.name() + " (" + at
                    + ") spec.ports: local mode needs the application's port (for example http: 9080)");
            return null;
        }
        int in = Integer.parseInt(inbound.trim());
        int out = Integer.parseInt(outbound.trim());
        List<LocalComponent.PortUse> uses = List.of(
                new LocalComponent.PortUse(in, entry.name(), "the inbound listener", "WorkloadEntry " + entry.namespace()
                        + "/" + entry.name() + " (" + at + ")"),
                new LocalComponent.PortUse(out, entry.name(), "the outbound listener", "WorkloadEntry " + entry.namespace()
                        + "/" + entry.name() + " (" + at + ")"));
        return new LocalComponent(entry.name(), ProxyRole.SIDECAR, entry.namespace(), entry.spec().serviceAccount(),
                entry.spec().labels(), in, out, List.copyOf(new TreeSet<>(entry.spec().ports().values())), uses, false);
    }

    /** Two listeners on one port cannot both start: say which, before anything does. */
    private static List<String> portClashes(List<LocalComponent> components) {
        Map<Integer, LocalComponent.PortUse> seen = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (LocalComponent component : components) {
            for (LocalComponent.PortUse use : component.ports()) {
                LocalComponent.PortUse first = seen.putIfAbsent(use.port(), use);
                if (first != null && !first.component().equals(use.component())) {
                    problems.add("Error [local] port " + use.port() + " is wanted twice: for " + first.describe()
                            + ", and for " + use.describe());
                }
            }
        }
        return problems;
    }

    private static String where(Resource<?> resource) {
        return resource.origin() == null ? "?" : resource.origin().file() + ":" + resource.origin().line();
    }

    private static boolean declaresHost(List<Resource<?>> resources, String host) {
        return resources.stream().filter(r -> r.kind() == Kind.SERVICE_ENTRY)
                .anyMatch(r -> r.as(dev.gatemesh.api.model.ServiceEntry.class).spec().hosts().contains(host));
    }

    /**
     * The egress gateway as a service sidecars can route to, as the Helm chart's Service makes it in a cluster:
     * {@code istio-egressgateway.istio-system.svc.cluster.local} with the ports its Gateway servers listen on.
     */
    private static String egressServiceEntryYaml(List<Resource<Gateway>> gateways) {
        Map<Integer, String> ports = new java.util.TreeMap<>();
        for (Resource<Gateway> gateway : gateways) {
            for (Gateway.Server server : gateway.spec().servers()) {
                if (server.port() != null && server.port().number() != null) {
                    String protocol = server.port().protocol() == null ? "HTTP" : server.port().protocol();
                    ports.putIfAbsent(server.port().number(), protocol);
                }
            }
        }
        StringBuilder yaml = new StringBuilder("""
                # Generated by meshctl local up: the egress gateway, reachable from sidecars by its usual name.
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  hosts:
                  - %s.%s.svc.cluster.local
                  location: MESH_INTERNAL
                  resolution: STATIC
                  workloadSelector:
                    labels:
                      app: %s
                  ports:
                """.formatted(GatewayKind.EGRESS.name, GATEWAY_NAMESPACE, GatewayKind.EGRESS.name, GATEWAY_NAMESPACE,
                GatewayKind.EGRESS.name));
        ports.forEach((number, protocol) -> yaml.append("  - number: ").append(number).append("\n    name: port-")
                .append(number).append("\n    protocol: ").append(protocol).append("\n"));
        return yaml.append("---\n").toString();
    }

    private static String workloadEntryYaml(GatewayKind kind) {
        return """
                # Generated by meshctl local up: the %s gateway's identity (the folder declares no WorkloadEntry for it).
                apiVersion: networking.istio.io/v1
                kind: WorkloadEntry
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  address: 127.0.0.1
                  serviceAccount: %s-service-account
                  labels:
                    istio: %s
                    gatemesh: %s
                    app: %s
                ---
                """.formatted(kind.label.replace("gateway", ""), kind.name, GATEWAY_NAMESPACE, kind.name, kind.label, kind.label,
                kind.name);
    }
}
