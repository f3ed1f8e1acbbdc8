package dev.gatemesh.bench;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.LoadResult;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.registry.ServiceEntryRegistry;
import dev.gatemesh.api.registry.ServiceRegistry;
import dev.gatemesh.api.snapshot.MeshConfig;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.api.snapshot.ProxySnapshot;
import dev.gatemesh.api.snapshot.SnapshotBuilder;
import dev.gatemesh.api.snapshot.SnapshotCodec;
import dev.gatemesh.api.write.ManifestWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Snapshot build for a large mesh: 1,000 services (ServiceEntries) with 5,000 endpoints
 * (WorkloadEntries), 1,000 VirtualServices with a 90/10 split and 1,000 DestinationRules, in 10
 * namespaces. Times each stage (median of 10 after 5 warm-up rounds) and the heap the configuration
 * holds. Baseline in the same run: Jackson writing the same objects as JSON, with no scoping,
 * ordering or hashing.
 *
 * <p>Run: {@code ./mvnw -q -B install -DskipTests && ./mvnw -q -B -pl bench exec:java
 * -Dexec.mainClass=dev.gatemesh.bench.SnapshotBuildBenchmark}
 */
public final class SnapshotBuildBenchmark {

    private static final int SERVICES = 1000;
    private static final int ENDPOINTS_PER_SERVICE = 5;
    private static final int NAMESPACES = 10;
    private static final LoadOptions OPTIONS = LoadOptions.DEFAULTS;

    public static void main(String[] args) {
        String yaml = generate();
        System.out.printf("Snapshot build: %d services, %d endpoints, %d namespaces; %d cores, %s%n", SERVICES,
                SERVICES * ENDPOINTS_PER_SERVICE, NAMESPACES, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.version"));
        ManifestLoader loader = new ManifestLoader(OPTIONS);
        LoadResult loaded = time("load and validate YAML (" + yaml.length() / 1024 + " KiB)", () -> loader.loadText("mesh.yaml", yaml));
        if (loaded.hasErrors()) {
            throw new IllegalStateException("generated mesh is invalid: " + loaded.problems().get(0).toLine());
        }
        List<Resource<?>> resources = loaded.validResources();
        ServiceRegistry registry = time("build the service registry", () -> ServiceEntryRegistry.build(resources, OPTIONS));
        MeshConfig config = new MeshConfig(resources, registry, OPTIONS);
        var proxy = new ProxyNode.ProxyClass(ProxyRole.SIDECAR, "ns-0", Map.of("app", "svc-0", "version", "v1"));
        ProxySnapshot snapshot = time("build one sidecar's snapshot (scope, order, version hash)",
                () -> SnapshotBuilder.build(config, proxy));
        String json = time("encode the snapshot as JSON", () -> SnapshotCodec.encode(snapshot));
        JsonMapper jackson = JsonMapper.builder().build();
        time("baseline: Jackson writes the same objects, unscoped, unordered, unhashed", () -> jackson.writeValueAsString(
                Map.of("services", registry.services().stream().map(ManifestWriter::plainValue).toList(),
                        "resources", resources.stream().map(ManifestWriter::toPlain).toList())));
        System.out.printf("| snapshot | %d services, %d resources, %d KiB of JSON |%n", snapshot.services().size(),
                snapshot.resources().size(), json.length() / 1024);
        System.out.printf("| heap held by the configuration (resources + registry) | %.1f MiB |%n", retainedMiB());
    }

    private static <T> T time(String what, Supplier<T> work) {
        List<Double> samples = new ArrayList<>();
        T result = null;
        for (int i = 0; i < 15; i++) {
            long start = System.nanoTime();
            result = work.get();
            if (i >= 5) {
                samples.add((System.nanoTime() - start) / 1e6);
            }
        }
        Stats stats = Stats.of(samples);
        System.out.printf("| %s | %.1f ms (p50) | %.1f ms (max) |%n", what, stats.percentile(50), stats.max());
        return result;
    }

    /** Heap after building the configuration once more, minus the heap before, both after a full GC. */
    private static double retainedMiB() {
        var memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        LoadResult loaded = new ManifestLoader(OPTIONS).loadText("mesh.yaml", generate());
        List<Resource<?>> resources = loaded.validResources();
        MeshConfig config = new MeshConfig(resources, ServiceEntryRegistry.build(resources, OPTIONS), OPTIONS);
        loaded = null;
        System.gc();
        long after = memory.getHeapMemoryUsage().getUsed();
        if (config.resources().isEmpty()) {
            throw new IllegalStateException();
        }
        return (after - before) / (1024.0 * 1024.0);
    }

    static String generate() {
        return generate(SERVICES);
    }

    /** {@code services} services in 10 namespaces, each with a 90/10 VirtualService, two subsets and 5 endpoints. */
    static String generate(int services) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < services; i++) {
            String ns = "ns-" + (i % NAMESPACES);
            String name = "svc-" + i;
            String host = name + "." + ns + ".svc.cluster.local";
            out.append("""
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: %1$s, namespace: %2$s}
                    spec:
                      hosts: [%3$s]
                      location: MESH_INTERNAL
                      resolution: STATIC
                      ports: [{number: 8080, name: http, protocol: HTTP}]
                      workloadSelector: {labels: {app: %1$s}}
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: DestinationRule
                    metadata: {name: %1$s, namespace: %2$s}
                    spec:
                      host: %1$s
                      subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: %1$s, namespace: %2$s}
                    spec:
                      hosts: [%1$s]
                      http:
                      - match: [{headers: {end-user: {exact: tester}}}]
                        route: [{destination: {host: %1$s, subset: v2}}]
                      - route:
                        - {destination: {host: %1$s, subset: v1}, weight: 90}
                        - {destination: {host: %1$s, subset: v2}, weight: 10}
                        timeout: 2s
                    ---
                    """.formatted(name, ns, host));
            for (int e = 0; e < ENDPOINTS_PER_SERVICE; e++) {
                out.append("""
                        apiVersion: networking.istio.io/v1
                        kind: WorkloadEntry
                        metadata: {name: %1$s-%4$d, namespace: %2$s}
                        spec:
                          address: 10.%3$d.%4$d.%5$d
                          serviceAccount: %1$s
                          labels: {app: %1$s, version: v%6$d}
                          ports: {http: 8080}
                        ---
                        """.formatted(name, ns, i / 250, e, i % 250, e % 2 + 1));
            }
        }
        return out.toString();
    }
}
