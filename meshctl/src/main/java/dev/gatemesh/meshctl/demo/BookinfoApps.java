package dev.gatemesh.meshctl.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.gatemesh.api.model.Kind;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.model.WorkloadEntry;
import dev.gatemesh.api.thread.DaemonThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The bookinfo demo application, one small HTTP server per workload on 127.0.0.1, each calling the
 * others through its own sidecar. Closing it stops every server and frees the ports.
 */
public final class BookinfoApps implements AutoCloseable {

    /** The apps this demo knows how to run, by their {@code app} label. */
    public static final Set<String> APPS = Set.of("productpage", "details", "reviews", "ratings");

    private final Map<String, Running> running;

    private BookinfoApps(Map<String, Running> running) {
        this.running = running;
    }

    /**
     * Starts one server per workload. If one cannot start (an unknown app, a port in use), the ones
     * already started are stopped and the error names the workload.
     */
    public static BookinfoApps start(List<DemoWorkload> workloads) {
        Map<String, Running> running = new LinkedHashMap<>();
        try {
            for (DemoWorkload workload : workloads) {
                if (running.containsKey(workload.name())) {
                    throw new IllegalArgumentException("two demo workloads are named " + workload.name());
                }
                running.put(workload.name(), Running.start(workload));
            }
        } catch (RuntimeException e) {
            running.values().forEach(Running::stop);
            throw e;
        }
        return new BookinfoApps(running);
    }

    /**
     * The demo workloads declared by WorkloadEntries whose {@code app} label is one of {@link #APPS}: name,
     * labels {@code app} and {@code version}, {@code spec.ports.http} (or the only port) and the outbound
     * port annotation. Other WorkloadEntries are not demo apps and are left out.
     *
     * @throws IllegalArgumentException naming the WorkloadEntry and what it lacks
     */
    public static List<DemoWorkload> fromWorkloadEntries(Collection<? extends Resource<?>> resources) {
        List<DemoWorkload> workloads = new ArrayList<>();
        for (Resource<?> resource : resources) {
            if (resource.kind() != Kind.WORKLOAD_ENTRY || !(resource.spec() instanceof WorkloadEntry entry)) {
                continue;
            }
            String app = entry.labels().get("app");
            if (app == null || !APPS.contains(app)) {
                continue;
            }
            String where = "WorkloadEntry " + resource.namespace() + "/" + resource.name();
            String version = entry.labels().getOrDefault("version", "v1");
            Integer appPort = entry.ports().get("http");
            if (appPort == null && entry.ports().size() == 1) {
                appPort = entry.ports().values().iterator().next();
            }
            if (appPort == null) {
                throw new IllegalArgumentException(where + ": spec.ports needs an http port for the demo app");
            }
            String outbound = resource.metadata().annotations().get(WorkloadEntry.OUTBOUND_PORT_ANNOTATION);
            if (outbound == null || !outbound.matches("\\d{1,5}")) {
                throw new IllegalArgumentException(where + ": the annotation " + WorkloadEntry.OUTBOUND_PORT_ANNOTATION
                        + " must give the sidecar's outbound port (got " + outbound + ")");
            }
            workloads.add(new DemoWorkload(resource.name(), app, version, appPort, Integer.parseInt(outbound)));
        }
        workloads.sort(Comparator.comparing(DemoWorkload::name));
        return List.copyOf(workloads);
    }

    /** The port a workload listens on (the one it was given, or the one picked for port 0). */
    public int port(String workloadName) {
        Running app = running.get(workloadName);
        if (app == null) {
            throw new IllegalArgumentException("no demo workload named " + workloadName + "; running: " + running.keySet());
        }
        return app.server.getAddress().getPort();
    }

    public List<DemoWorkload> workloads() {
        return running.values().stream().map(r -> r.workload).toList();
    }

    @Override
    public void close() {
        running.values().forEach(Running::stop);
    }

    private static final class Running {

        private final DemoWorkload workload;
        private final HttpServer server;
        private final ExecutorService serverThreads;
        private final ExecutorService clientThreads;

        private Running(DemoWorkload workload, HttpServer server, ExecutorService serverThreads,
                        ExecutorService clientThreads) {
            this.workload = workload;
            this.server = server;
            this.serverThreads = serverThreads;
            this.clientThreads = clientThreads;
        }

        static Running start(DemoWorkload workload) {
            if (!APPS.contains(workload.app())) {
                throw new IllegalArgumentException(workload.name() + ": no demo app called " + workload.app()
                        + "; the demo runs " + APPS);
            }
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", workload.appPort()), 50);
            } catch (IOException e) {
                throw new UncheckedIOException(workload.name() + ": cannot listen on 127.0.0.1:" + workload.appPort()
                        + " (" + e.getMessage() + ")", e);
            }
            ExecutorService serverThreads = Executors.newFixedThreadPool(4, DaemonThreads.numbered("demo-" + workload.name()));
            ExecutorService clientThreads = Executors.newCachedThreadPool(DaemonThreads.numbered("demo-" + workload.name() + "-client"));
            MeshClient mesh = new MeshClient(workload.outboundPort(), clientThreads);
            server.createContext("/", new Guarded(handler(workload, mesh)));
            server.setExecutor(serverThreads);
            server.start();
            return new Running(workload, server, serverThreads, clientThreads);
        }

        private static HttpHandler handler(DemoWorkload workload, MeshClient mesh) {
            return switch (workload.app()) {
                case "productpage" -> new ProductPageApp(workload, mesh);
                case "details" -> new DetailsApp(workload);
                case "reviews" -> new ReviewsApp(workload, mesh);
                default -> new RatingsApp(workload);
            };
        }

        void stop() {
            server.stop(0);
            serverThreads.shutdownNow();
            clientThreads.shutdownNow();
        }
    }


    /** What every app does the same way: {@code /health}, GET only, and a plain 500 instead of a stack trace. */
    private record Guarded(HttpHandler app) implements HttpHandler {

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                if (!exchange.getRequestMethod().equals("GET")) {
                    exchange.getResponseHeaders().set("Allow", "GET");
                    Http.text(exchange, 405, "Only GET is served here\n");
                } else if (exchange.getRequestURI().getPath().equals("/health")) {
                    Http.text(exchange, 200, "ok\n");
                } else {
                    serve(exchange);
                }
            }
        }

        private void serve(HttpExchange exchange) throws IOException {
            try {
                app.handle(exchange);
            } catch (RuntimeException e) {
                Http.text(exchange, 500, "Internal error: " + e + "\n");
            }
        }
    }
}
