package dev.gatemesh.server.springconfig;

import dev.gatemesh.api.thread.DaemonThreads;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In a cluster: ConfigMaps labelled {@value #LABEL}{@code : "true"}, in every namespace. The ConfigMap's
 * name is the application's (or its annotation {@value #APPLICATION_ANNOTATION}; {@code application} is
 * shared by all); its data keys {@code application.yml}, {@code application.yaml} or
 * {@code application.properties} hold the properties, {@code application-<profile>.yml} a profile's.
 */
public final class KubernetesSpringConfigSource implements SpringConfigSource {

    public static final String LABEL = "gatemesh.dev/spring-config";
    public static final String APPLICATION_ANNOTATION = "gatemesh.dev/application";

    private static final Logger log = LoggerFactory.getLogger(KubernetesSpringConfigSource.class);

    private final KubernetesClient client;
    private final Duration debounce;
    private final AtomicBoolean rebuildPending = new AtomicBoolean();
    private final ScheduledExecutorService scheduler;
    private final Set<String> reported = new HashSet<>();
    private SharedIndexInformer<ConfigMap> informer;
    private volatile Consumer<List<PropertyFileText>> listener;

    public KubernetesSpringConfigSource(KubernetesClient client, Duration debounce) {
        this.client = client;
        this.debounce = debounce;
        this.scheduler = DaemonThreads.scheduler("gatemesh-spring-configmaps");
    }

    @Override
    public void start(Consumer<List<PropertyFileText>> stateListener) {
        this.listener = stateListener;
        informer = client.configMaps().inAnyNamespace().withLabel(LABEL, "true").runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap obj) {
                scheduleRebuild();
            }

            @Override
            public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                scheduleRebuild();
            }

            @Override
            public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                scheduleRebuild();
            }
        });
        try {
            informer.start().toCompletableFuture().get();
            scheduler.submit(this::rebuild).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.error("The Spring ConfigMap informer failed to start: {}", e.getCause().toString());
        }
    }

    @Override
    public String describe() {
        return "ConfigMaps labelled " + LABEL + "=true";
    }

    private void scheduleRebuild() {
        if (rebuildPending.compareAndSet(false, true)) {
            scheduler.schedule(this::rebuild, debounce.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void rebuild() {
        rebuildPending.set(false);
        try {
            List<ConfigMap> configMaps = new ArrayList<>(informer.getStore().list());
            configMaps.sort(Comparator.comparing((ConfigMap c) -> c.getMetadata().getNamespace())
                    .thenComparing(c -> c.getMetadata().getName()));
            List<PropertyFileText> texts = new ArrayList<>();
            Set<String> ignored = new HashSet<>();
            for (ConfigMap configMap : configMaps) {
                texts.addAll(filesOf(configMap, ignored));
            }
            ignored.stream().filter(reported::add).forEach(line -> log.warn("{}", line));
            reported.retainAll(ignored);
            listener.accept(texts);
        } catch (RuntimeException e) {
            log.error("Reading the Spring ConfigMaps failed; the properties in force are unchanged: {}", e.toString());
        }
    }

    /** The property files of one ConfigMap; keys that name no property file are noted in {@code ignored}. */
    static List<PropertyFileText> filesOf(ConfigMap configMap, Set<String> ignored) {
        var metadata = configMap.getMetadata();
        Map<String, String> annotations = metadata.getAnnotations() == null ? Map.of() : metadata.getAnnotations();
        String application = annotations.getOrDefault(APPLICATION_ANNOTATION, metadata.getName()).trim();
        String where = "ConfigMap " + metadata.getNamespace() + "/" + metadata.getName();
        List<PropertyFileText> texts = new ArrayList<>();
        Map<String, String> data = configMap.getData() == null ? Map.of() : new TreeMap<>(configMap.getData());
        data.forEach((key, text) -> {
            var named = PropertyFileText.parseName(key);
            String base = named.map(PropertyFileText.Named::baseName).orElse("");
            if (named.isEmpty() || !(base.equals(SpringProperties.SHARED) || base.startsWith(SpringProperties.SHARED + "-"))) {
                ignored.add(where + ": data key \"" + key + "\" is ignored; expected application.yml, application.yaml, "
                        + "application.properties or application-<profile>.yml");
                return;
            }
            String baseName = application + base.substring(SpringProperties.SHARED.length());
            texts.add(new PropertyFileText(baseName, where + " " + key, named.get().format(), text == null ? "" : text));
        });
        return texts;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (informer != null) {
            informer.close();
        }
    }
}
