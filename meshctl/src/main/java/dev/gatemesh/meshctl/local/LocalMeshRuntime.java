package dev.gatemesh.meshctl.local;

import dev.gatemesh.api.failure.RootCause;
import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.api.thread.DaemonThreads;
import dev.gatemesh.proxy.gateway.FileCredentialSource;
import dev.gatemesh.proxy.gateway.GatewaySettings;
import dev.gatemesh.proxy.gateway.RateLimitCheck;
import dev.gatemesh.proxy.route.RouteTable;
import dev.gatemesh.proxy.runtime.MeshProxy;
import dev.gatemesh.proxy.thread.ProxyThreads;
import dev.gatemesh.proxy.http.HttpListenerSettings;
import dev.gatemesh.proxy.runtime.SidecarSettings;
import dev.gatemesh.server.ConfigServerApplication;
import dev.gatemesh.server.push.MeshConfigStore;
import dev.gatemesh.server.push.ProxyHub;
import dev.gatemesh.server.push.ProxyStatus;
import dev.gatemesh.server.push.SyncState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A running local mesh in this JVM: the config server (a Spring application context reading the folder)
 * and one {@link MeshProxy} per component of the plan, each with its own event loop and threads named
 * after it. One JVM rather than a process per proxy: the demo's nine components share one heap and one
 * JIT, start in seconds on two cores and stay far below the memory a JVM per proxy would take.
 */
public final class LocalMeshRuntime implements AutoCloseable {

    private final LocalSettings settings;
    private volatile LocalPlan plan;
    private ConfigurableApplicationContext server;
    private int controlPlanePort;
    private int managementPort;
    private final Map<String, MeshProxy> proxies = new LinkedHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ScheduledExecutorService credentialsScheduler = DaemonThreads.scheduler("gatemesh-local-credentials");

    private LocalMeshRuntime(LocalSettings settings, LocalPlan plan) {
        this.settings = settings;
        this.plan = plan;
    }

    /** Starts the config server, then every proxy (in parallel); returns once all hold a certificate and listen. */
    public static LocalMeshRuntime start(LocalSettings settings, LocalPlan plan) throws ComponentFailure {
        LocalMeshRuntime mesh = new LocalMeshRuntime(settings, plan);
        try {
            mesh.startServer();
            mesh.startProxies();
            return mesh;
        } catch (ComponentFailure | RuntimeException e) {
            mesh.close();
            throw e;
        }
    }

    private void startServer() throws ComponentFailure {
        Map<String, Object> properties = new HashMap<>();
        properties.put("gatemesh.server.source", "file");
        properties.put("gatemesh.server.file.path", settings.folder().toString());
        properties.put("gatemesh.server.home", settings.serverHome().toString());
        properties.put("server.address", LocalPlanner.LOOPBACK);
        properties.put("server.port", settings.controlPlanePort());
        properties.put("management.server.port", settings.managementPort());
        properties.put("spring.main.banner-mode", "off");
        properties.putAll(settings.limitProperties());
        try {
            if (!plan.generatedManifests().isEmpty()) {
                Files.createDirectories(settings.generated().getParent());
                Files.writeString(settings.generated(), plan.generatedManifests());
                properties.put("gatemesh.server.file.extra-files", settings.generated().toString());
            }
        } catch (IOException e) {
            throw new ComponentFailure(LocalLogging.CONFIG_SERVER, "cannot write " + settings.generated() + ": " + e.getMessage(), null);
        }
        Path log = LocalLogging.file(settings.logs(), LocalLogging.CONFIG_SERVER);
        try {
            // As arguments: they must win over the config server's own application.yaml (default properties would not).
            String[] arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                    .toArray(String[]::new);
            server = new SpringApplicationBuilder(ConfigServerApplication.class).registerShutdownHook(false).run(arguments);
        } catch (RuntimeException e) {
            throw new ComponentFailure(LocalLogging.CONFIG_SERVER, rootMessage(e), log);
        }
        controlPlanePort = ((WebServerApplicationContext) server).getWebServer().getPort();
        managementPort = Integer.parseInt(server.getEnvironment().getProperty("local.management.port",
                String.valueOf(settings.managementPort())));
    }

    private void startProxies() throws ComponentFailure {
        Map<String, CompletableFuture<MeshProxy>> starting = new LinkedHashMap<>();
        for (LocalComponent component : plan.components()) {
            starting.put(component.name(), startInBackground(component));
        }
        ComponentFailure failure = null;
        for (Map.Entry<String, CompletableFuture<MeshProxy>> entry : starting.entrySet()) {
            try {
                MeshProxy proxy = entry.getValue().get(60, TimeUnit.SECONDS);
                synchronized (proxies) {
                    proxies.put(entry.getKey(), proxy);
                }
            } catch (ExecutionException e) {
                failure = failure != null ? failure : new ComponentFailure(entry.getKey(), rootMessage(e.getCause()),
                        LocalLogging.file(settings.logs(), entry.getKey()));
            } catch (java.util.concurrent.TimeoutException e) {
                failure = failure != null ? failure : new ComponentFailure(entry.getKey(),
                        "no workload certificate within 60 s", LocalLogging.file(settings.logs(), entry.getKey()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ComponentFailure(entry.getKey(), "interrupted", null);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Starts a proxy on a thread named after it, so that its start is logged in its own file. */
    private CompletableFuture<MeshProxy> startInBackground(LocalComponent component) {
        CompletableFuture<MeshProxy> future = new CompletableFuture<>();
        DaemonThreads.thread(ProxyThreads.name(component.name(), "start"), () -> {
            try {
                future.complete(startProxy(component));
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }).start();
        return future;
    }

    private MeshProxy startProxy(LocalComponent component) throws InterruptedException {
        ProxyNode node = new ProxyNode(component.name(), component.role(), component.namespace(), component.serviceAccount(),
                component.labels());
        boolean sidecar = component.role() == ProxyRole.SIDECAR;
        SidecarSettings proxy = new SidecarSettings(node, LoadOptions.DEFAULTS,
                URI.create("https://" + LocalPlanner.LOOPBACK + ":" + controlPlanePort),
                settings.serverHome().resolve("root-cert.pem"), settings.serverHome().resolve("bootstrap-token"),
                component.claim(), null, LocalPlanner.LOOPBACK, component.outboundPort(), LocalPlanner.LOOPBACK,
                component.inboundPort(), LocalPlanner.LOOPBACK, sidecar ? component.appPorts() : List.of(1),
                RouteTable.OutboundPolicy.ALLOW_ANY, 1, HttpListenerSettings.DEFAULTS, settings.pathNormalization(),
                java.util.Set.of(managementPort));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        if (sidecar) {
            return new MeshProxy(proxy, registry, Clock.systemUTC()).start();
        }
        FileCredentialSource credentials = new FileCredentialSource(settings.credentials(), credentialsScheduler,
                Duration.ofMillis(200), Duration.ofSeconds(30)).start();
        synchronized (closeables) {
            closeables.add(credentials);
        }
        return new MeshProxy(proxy, new GatewaySettings(LocalPlanner.LOOPBACK, credentials, RateLimitCheck.NONE), registry,
                Clock.systemUTC()).start();
    }

    /** Every proxy of the plan is connected and has acknowledged the latest configuration. */
    public boolean allSynced() {
        Map<String, ProxyStatus> statuses = statuses();
        return plan.components().stream().allMatch(c -> statuses.containsKey(c.name())
                && statuses.get(c.name()).state() == SyncState.SYNCED);
    }

    /** The config server's view of each connected proxy, by name. */
    public Map<String, ProxyStatus> statuses() {
        Map<String, ProxyStatus> out = new LinkedHashMap<>();
        server.getBean(ProxyHub.class).statuses().forEach(s -> out.put(s.node().id(), s));
        return out;
    }

    public MeshConfigStore configStore() {
        return server.getBean(MeshConfigStore.class);
    }

    public MeshProxy proxy(String name) {
        synchronized (proxies) {
            return proxies.get(name);
        }
    }

    public LocalPlan plan() {
        return plan;
    }

    /**
     * Makes the running proxies match the folder after an edit: a sidecar for a new WorkloadEntry starts, one
     * whose WorkloadEntry is gone stops, one whose identity, labels or ports changed restarts. Gateways' ports
     * follow their Gateways by themselves; only a gateway whose identity changes restarts.
     *
     * @param report where each start, stop and refusal is told
     */
    public synchronized void reconcile(List<dev.gatemesh.api.model.Resource<?>> resources, java.util.function.Consumer<String> report) {
        LocalPlan next = LocalPlanner.plan(resources, List.of());
        if (!next.startable()) {
            next.errors().forEach(line -> report.accept("local: " + line.replace(settings.folder() + java.io.File.separator, "")
                    + " (proxies left as they are)"));
            return;
        }
        Map<String, LocalComponent> before = new LinkedHashMap<>();
        plan.components().forEach(c -> before.put(c.name(), c));
        List<LocalComponent> kept = new ArrayList<>();
        List<LocalComponent> toStart = new ArrayList<>();
        for (LocalComponent wanted : next.components()) {
            LocalComponent running = before.remove(wanted.name());
            if (running != null && sameProxy(running, wanted)) {
                kept.add(running);
                continue;
            }
            if (running != null) {
                stop(running, report, "restarting: its WorkloadEntry changed");
            }
            toStart.add(wanted);
        }
        before.values().forEach(gone -> stop(gone, report, "its WorkloadEntry is gone"));
        List<LocalComponent> started = new ArrayList<>(kept);
        for (LocalComponent component : toStart) {
            List<String> taken = PortCheck.inUse(component.ports());
            if (!taken.isEmpty()) {
                taken.forEach(line -> report.accept("local: not starting " + component.name() + ": " + line));
                continue;
            }
            try {
                MeshProxy proxy = startInBackground(component).get(60, TimeUnit.SECONDS);
                synchronized (proxies) {
                    proxies.put(component.name(), proxy);
                }
                started.add(component);
                report.accept("local: started " + component.name() + " (" + component.role() + ", "
                        + component.identity("cluster.local") + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                report.accept("local: " + component.name() + " failed to start: " + rootMessage(e) + " (log: "
                        + LocalLogging.file(settings.logs(), component.name()) + ")");
            }
        }
        plan = new LocalPlan(started, plan.generatedManifests(), List.of());
    }

    /** Same identity, labels and listeners: the running proxy can stay (a gateway's ports follow its Gateways). */
    private static boolean sameProxy(LocalComponent running, LocalComponent wanted) {
        boolean identity = running.role() == wanted.role() && running.namespace().equals(wanted.namespace())
                && java.util.Objects.equals(running.serviceAccount(), wanted.serviceAccount())
                && running.labels().equals(wanted.labels());
        return identity && (running.role() != ProxyRole.SIDECAR || running.inboundPort() == wanted.inboundPort()
                && running.outboundPort() == wanted.outboundPort() && running.appPorts().equals(wanted.appPorts()));
    }

    private void stop(LocalComponent component, java.util.function.Consumer<String> report, String why) {
        MeshProxy proxy;
        synchronized (proxies) {
            proxy = proxies.remove(component.name());
        }
        if (proxy != null) {
            proxy.close();
            report.accept("local: stopped " + component.name() + " (" + why + ")");
        }
    }

    public LocalSettings settings() {
        return settings;
    }

    public int controlPlanePort() {
        return controlPlanePort;
    }

    public int managementPort() {
        return managementPort;
    }

    /** Stops the proxies first (their listeners close, so callers see refused connections, not hangs), then the server. */
    @Override
    public void close() {
        List<MeshProxy> running;
        synchronized (proxies) {
            running = new ArrayList<>(proxies.values());
            proxies.clear();
        }
        running.parallelStream().forEach(MeshProxy::close);
        synchronized (closeables) {
            for (AutoCloseable closeable : closeables) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // stopping anyway
                }
            }
            closeables.clear();
        }
        credentialsScheduler.shutdownNow();
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The innermost cause's message: what went wrong, without the layers that reported it. */
    static String rootMessage(Throwable e) {
        String message = RootCause.message(e);
        if (RootCause.of(e) instanceof BindException) {
            return "a port is already in use (" + message + ")";
        }
        return message;
    }
}
