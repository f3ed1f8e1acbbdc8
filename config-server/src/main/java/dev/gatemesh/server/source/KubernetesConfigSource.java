package dev.gatemesh.server.source;

import dev.gatemesh.api.crd.CustomResourceDefinitions;
import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.LoadedResource;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.model.ApiGroup;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.limit.Limit;
import dev.gatemesh.api.limit.LimitExceeded;
import dev.gatemesh.api.limit.PlainLimits;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.problem.ProblemCode;
import dev.gatemesh.api.problem.Severity;
import dev.gatemesh.api.registry.MeshService;
import dev.gatemesh.api.registry.ServiceEntryRegistry;
import dev.gatemesh.api.registry.ServiceRegistry;
import dev.gatemesh.api.thread.DaemonThreads;
import dev.gatemesh.api.yaml.YamlNode;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as a source: informers over the Istio-API custom resources (version v1), Services,
 * EndpointSlices, Pods and Namespaces. Every change (coalesced within the debounce window) rebuilds
 * the state from the informers' caches. A rejected resource keeps its last good version in force and
 * gets a Warning Event naming the problems.
 */
public final class KubernetesConfigSource implements ConfigSource {

    private static final Logger log = LoggerFactory.getLogger(KubernetesConfigSource.class);
    private static final String VERSION = "v1";

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final LoadOptions options;
    private final Duration debounce;
    private final ManifestLoader loader;
    private final LastGoodResources lastGood = new LastGoodResources();
    private final Map<Kind, SharedIndexInformer<GenericKubernetesResource>> istio = new LinkedHashMap<>();
    private final Set<String> reported = new HashSet<>();
    private final AtomicBoolean rebuildPending = new AtomicBoolean();
    private final ScheduledExecutorService scheduler;
    private SharedIndexInformer<Service> services;
    private SharedIndexInformer<EndpointSlice> endpointSlices;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Namespace> namespaces;
    private volatile boolean synced;
    private volatile Consumer<SourceState> listener;

    /** @param ownsClient whether closing the source closes the client (one it was given to keep) */
    public KubernetesConfigSource(KubernetesClient client, boolean ownsClient, LoadOptions options, Duration debounce) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.options = options;
        this.debounce = debounce;
        this.loader = new ManifestLoader(options);
        this.scheduler = DaemonThreads.scheduler("gatemesh-kubernetes-source");
    }

    /** The custom resource definition context of an Istio kind, as the informers and tests address it. */
    public static ResourceDefinitionContext context(Kind kind) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(kind.group().group())
                .withVersion(VERSION)
                .withKind(kind.kindName())
                .withPlural(plural(kind.kindName()))
                .withNamespaced(true)
                .build();
    }

    /** Kubernetes' plural resource name, the one the generated CRDs declare (Gateway -> gateways). */
    static String plural(String kindName) {
        return CustomResourceDefinitions.plural(kindName);
    }

    @Override
    public void start(Consumer<SourceState> stateListener) {
        this.listener = stateListener;
        ResourceEventHandler<Object> onChange = new ResourceEventHandler<>() {
            @Override
            public void onAdd(Object obj) {
                scheduleRebuild();
            }

            @Override
            public void onUpdate(Object oldObj, Object newObj) {
                scheduleRebuild();
            }

            @Override
            public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
                scheduleRebuild();
            }
        };
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            if (kind.group() == ApiGroup.NETWORKING || kind.group() == ApiGroup.SECURITY) {
                var informer = client.genericKubernetesResources(context(kind)).inAnyNamespace().runnableInformer(0);
                istio.put(kind, informer);
                started.add(start(informer, onChange));
            }
        }
        services = client.services().inAnyNamespace().runnableInformer(0);
        endpointSlices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        pods = client.pods().inAnyNamespace().runnableInformer(0);
        namespaces = client.namespaces().runnableInformer(0);
        started.add(start(services, onChange));
        started.add(start(endpointSlices, onChange));
        started.add(start(pods, onChange));
        started.add(start(namespaces, onChange));
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
            if (error != null) {
                log.error("Kubernetes informers failed to start: {}", error.getMessage());
                return;
            }
            synced = true;
            scheduleRebuild();
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> CompletableFuture<Void> start(SharedIndexInformer<T> informer, ResourceEventHandler<Object> handler) {
        informer.addEventHandler((ResourceEventHandler<? super T>) (ResourceEventHandler<?>) handler);
        return informer.start().toCompletableFuture();
    }

    @Override
    public boolean isSynced() {
        return synced;
    }

    @Override
    public String describe() {
        return "kubernetes " + client.getMasterUrl();
    }

    private void scheduleRebuild() {
        if (synced && rebuildPending.compareAndSet(false, true)) {
            scheduler.schedule(this::rebuild, debounce.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void rebuild() {
        rebuildPending.set(false);
        try {
            List<LoadedResource> read = new ArrayList<>();
            List<Problem> unreadable = new ArrayList<>();
            Set<String> overLimit = new HashSet<>();
            Map<String, GenericKubernetesResource> objects = new LinkedHashMap<>();
            int count = 0;
            for (var entry : istio.entrySet()) {
                for (GenericKubernetesResource object : entry.getValue().getStore().list()) {
                    String origin = entry.getKey().kindName() + " " + object.getMetadata().getNamespace() + "/"
                            + object.getMetadata().getName();
                    LoadedResource loaded = null;
                    int problemsBefore = unreadable.size();
                    if (++count > options.limits().maxResources()) {
                        unreadable.add(limitProblem(origin, new LimitExceeded(Limit.RESOURCES, options.limits().maxResources(),
                                "the cluster", count, true, 0, null)));
                    } else {
                        loaded = readBounded(object, origin, unreadable);
                    }
                    if (loaded == null && unreadable.subList(problemsBefore, unreadable.size()).stream()
                            .anyMatch(KubernetesConfigSource::isRefusal)) {
                        overLimit.add(origin);
                        objects.put(origin, object);
                    }
                    if (loaded != null) {
                        read.add(loaded);
                        if (!loaded.isValid()) {
                            objects.put(origin, object);
                        }
                    }
                }
            }
            LastGoodResources.Merge merge = lastGood.merge(read, unreadable, overLimit);
            reportRejected(merge.rejected(), objects);
            List<MeshService> all = new ArrayList<>(KubernetesRegistry.build(services.getStore().list(),
                    endpointSlices.getStore().list(), pods.getStore().list(), options.domainSuffix()));
            all.addAll(ServiceEntryRegistry.build(merge.resources(), options).services());
            listener.accept(new SourceState(merge.resources(), new ServiceRegistry(all), merge.rejected()));
        } catch (StackOverflowError | RuntimeException e) {
            log.error("Rebuilding from Kubernetes failed ({}); the configuration in force is unchanged", e.toString());
            log.debug("Rebuilding from Kubernetes failed", e);
        }
    }

    /**
     * Reads one custom resource within the limits; one over a limit, or one that fails to read for any reason, is a
     * problem of that resource (its last good version stays), never a failure of the whole rebuild.
     */
    private LoadedResource readBounded(GenericKubernetesResource object, String origin, List<Problem> unreadable) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> plain = client.getKubernetesSerialization().convertValue(object, Map.class);
            Optional<LimitExceeded> over = PlainLimits.check(plain, options.limits());
            if (over.isPresent()) {
                unreadable.add(limitProblem(origin, over.get()));
                return null;
            }
            return loader.readDocument(YamlNode.fromPlain(plain), origin, 0, unreadable);
        } catch (StackOverflowError | RuntimeException e) {
            unreadable.add(new Problem(Severity.ERROR, ProblemCode.UNREADABLE, null, origin, 0, null,
                    "the resource could not be read (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")"));
            return null;
        }
    }

    /** A resource refused whole (over a limit, or unreadable), as opposed to one that is not Gatemesh's to read. */
    private static boolean isRefusal(Problem problem) {
        return problem.code() == ProblemCode.LIMIT_EXCEEDED || problem.code() == ProblemCode.UNREADABLE;
    }

    private static Problem limitProblem(String origin, LimitExceeded exceeded) {
        return new Problem(Severity.ERROR, ProblemCode.LIMIT_EXCEEDED, null, origin, 0, exceeded.path(),
                exceeded.message() + "; the resource is rejected");
    }

    /** Logs each rejected resource version once and records a Warning Event on it. */
    private void reportRejected(List<Problem> rejected, Map<String, GenericKubernetesResource> objects) {
        Map<String, List<String>> byOrigin = new LinkedHashMap<>();
        rejected.forEach(p -> byOrigin.computeIfAbsent(p.file(), k -> new ArrayList<>()).add(p.toLine()));
        byOrigin.forEach((origin, lines) -> {
            GenericKubernetesResource object = objects.get(origin);
            String version = object == null ? "" : object.getMetadata().getResourceVersion();
            if (!reported.add(origin + "@" + version)) {
                return;
            }
            lines.forEach(line -> log.warn("Rejected, the last good version stays in force: {}", line));
            if (object != null) {
                recordEvent(object, String.join("\n", lines));
            }
        });
    }

    private void recordEvent(GenericKubernetesResource object, String message) {
        var metadata = object.getMetadata();
        String now = Instant.now().toString();
        var event = new EventBuilder()
                .withNewMetadata()
                .withGenerateName(metadata.getName() + ".")
                .withNamespace(metadata.getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(object.getApiVersion())
                .withKind(object.getKind())
                .withName(metadata.getName())
                .withNamespace(metadata.getNamespace())
                .withUid(metadata.getUid())
                .withResourceVersion(metadata.getResourceVersion())
                .endInvolvedObject()
                .withType("Warning")
                .withReason("GatemeshRejected")
                .withMessage(message.length() > 1000 ? message.substring(0, 1000) + "..." : message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource("gatemesh-config-server", null)
                .build();
        try {
            client.v1().events().inNamespace(metadata.getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            log.warn("Could not record an Event on {} {}/{}: {}", object.getKind(), metadata.getNamespace(),
                    metadata.getName(), e.getMessage());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        istio.values().forEach(SharedIndexInformer::close);
        for (SharedIndexInformer<?> informer : new SharedIndexInformer<?>[] {services, endpointSlices, pods, namespaces}) {
            if (informer != null) {
                informer.close();
            }
        }
        if (ownsClient) {
            client.close();
        }
    }
}
