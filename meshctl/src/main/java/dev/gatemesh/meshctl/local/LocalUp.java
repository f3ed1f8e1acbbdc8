package dev.gatemesh.meshctl.local;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.thread.DaemonThreads;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code meshctl local up}: plans the mesh from the folder, refuses bad config and taken ports before
 * anything starts, starts every component, waits until every proxy is SYNCED, prints the table, and
 * keeps reporting edits of the folder until it is closed.
 */
public final class LocalUp implements AutoCloseable {

    static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

    private final LocalMeshRuntime mesh;
    private final ScheduledExecutorService watcher = DaemonThreads.scheduler("gatemesh-local-config-events");
    private volatile boolean closed;
    private Duration elapsed;

    private LocalUp(LocalMeshRuntime mesh) {
        this.mesh = mesh;
    }

    /** Starts the mesh and returns when all of it is SYNCED; the caller prints {@link #readyLines}. */
    public static LocalUp start(LocalSettings settings, PrintWriter out) throws LocalUpFailure {
        long started = System.nanoTime();
        LoadOptions options = LoadOptions.DEFAULTS.withLimits(settings.limits());
        if (!java.nio.file.Files.isDirectory(settings.folder())) {
            throw new LocalUpFailure(List.of("meshctl: " + settings.folder() + " is not a folder of YAML"));
        }
        LocalPlan plan = LocalPlanner.plan(settings.folder(), options);
        if (!plan.startable()) {
            List<String> lines = new ArrayList<>(plan.errors());
            lines.add("meshctl: the configuration in " + settings.folder() + " has " + plan.errors().size()
                    + (plan.errors().size() == 1 ? " error" : " errors") + "; nothing was started.");
            throw new LocalUpFailure(lines);
        }
        List<LocalComponent.PortUse> ports = new ArrayList<>();
        ports.add(new LocalComponent.PortUse(settings.controlPlanePort(), LocalLogging.CONFIG_SERVER, "the mesh port", null));
        ports.add(new LocalComponent.PortUse(settings.managementPort(), LocalLogging.CONFIG_SERVER, "the management port", null));
        plan.components().forEach(c -> ports.addAll(c.ports()));
        List<String> taken = PortCheck.inUse(ports);
        if (!taken.isEmpty()) {
            List<String> lines = new ArrayList<>();
            taken.forEach(line -> lines.add("meshctl: " + line));
            lines.add("meshctl: nothing was started.");
            throw new LocalUpFailure(lines);
        }
        LocalLogging.toFolder(settings.logs());
        // TLS 1.3 session tickets would let a resumed session outlive a certificate rotation (as in the sidecar app).
        System.setProperty("jdk.tls.server.enableSessionTicketExtension", "false");
        out.println("Starting the local mesh from " + settings.folder() + " (" + plan.components().size()
                + " proxies; logs in " + settings.logs() + ") ...");
        out.flush();
        LocalMeshRuntime mesh;
        try {
            mesh = LocalMeshRuntime.start(settings, plan);
        } catch (ComponentFailure e) {
            throw new LocalUpFailure(List.of("meshctl: " + e.getMessage()));
        }
        LocalUp up = new LocalUp(mesh);
        try {
            up.awaitSynced();
            LocalRunFile.write(settings.home(), ProcessHandle.current().pid(), "http://127.0.0.1:" + mesh.managementPort(),
                    "https://127.0.0.1:" + mesh.controlPlanePort(), settings.folder());
        } catch (LocalUpFailure e) {
            up.close();
            throw e;
        } catch (IOException e) {
            up.close();
            throw new LocalUpFailure(List.of("meshctl: cannot write " + settings.home().resolve(LocalRunFile.NAME) + ": "
                    + e.getMessage()));
        }
        up.elapsed = Duration.ofNanos(System.nanoTime() - started);
        ConfigEvents events = new ConfigEvents(mesh.configStore(), settings.folder() + java.io.File.separator, line -> {
            out.println(line);
            out.flush();
        });
        up.watcher.scheduleWithFixedDelay(() -> {
            if (events.check()) {
                mesh.reconcile(mesh.configStore().current().resources(), line -> {
                    out.println(line);
                    out.flush();
                });
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
        return up;
    }

    private void awaitSynced() throws LocalUpFailure {
        long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
        while (!mesh.allSynced()) {
            if (System.nanoTime() > deadline) {
                List<String> lines = new ArrayList<>();
                lines.add("meshctl: not every proxy is SYNCED after " + SYNC_TIMEOUT.toSeconds() + " s:");
                var statuses = mesh.statuses();
                for (LocalComponent component : mesh.plan().components()) {
                    var status = statuses.get(component.name());
                    if (status == null) {
                        lines.add("  " + component.name() + ": not connected (log: "
                                + LocalLogging.file(mesh.settings().logs(), component.name()) + ")");
                    } else if (status.state() != dev.gatemesh.server.push.SyncState.SYNCED) {
                        lines.add("  " + component.name() + ": " + status.state()
                                + (status.nackReason() == null ? "" : ", refused: " + status.nackReason()));
                    }
                }
                throw new LocalUpFailure(lines);
            }
            try {
                Thread.sleep(50); // waiting for proxies that run on their own threads
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalUpFailure(List.of("meshctl: interrupted"));
            }
        }
    }

    /** The table and the ready line. */
    public List<String> readyLines() {
        List<String> lines = new ArrayList<>(List.of(StatusTable.render(mesh, "cluster.local", "gatemesh-system").split("\n")));
        LocalSettings settings = mesh.settings();
        lines.add("");
        lines.add(String.format("ready: %d proxies SYNCED in %.1f s. Edit the YAML in %s: changes apply live.",
                mesh.plan().components().size(), elapsed.toMillis() / 1000.0, settings.folder()));
        lines.add("Logs: " + settings.logs() + "   Status: meshctl proxy-status   Stop: Ctrl-C");
        return lines;
    }

    public LocalMeshRuntime mesh() {
        return mesh;
    }

    public Map<String, dev.gatemesh.server.push.ProxyStatus> statuses() {
        return mesh.statuses();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        watcher.shutdownNow();
        mesh.close();
        LocalRunFile.delete(mesh.settings().home());
    }
}
