package dev.gatemesh.meshctl;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.meshctl.demo.BookinfoApps;
import dev.gatemesh.meshctl.demo.DemoFiles;
import dev.gatemesh.meshctl.demo.TrafficGenerator;
import dev.gatemesh.meshctl.local.LocalComponent;
import dev.gatemesh.meshctl.local.LocalSettings;
import dev.gatemesh.meshctl.local.LocalUp;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code meshctl demo}: the bundled bookinfo application in a local mesh, with a traffic generator, and
 * scenarios to copy into the live folder.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the bookinfo demo: a local mesh (config server, ingress gateway, six sidecars), the demo apps, "
                + "and a traffic generator. The live config folder is <home>/demo/config (reset at each start)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped", "1:a port in use or a component that failed to start", "2:usage error"})
final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private LocalCommand.HomeOptions options;

    @Option(names = "--rate", defaultValue = "2", description = "Requests per second the traffic generator sends (default: "
            + "${DEFAULT-VALUE}; 0 for none).")
    private double rate;

    @Option(names = "--report-every", defaultValue = "10s",
            description = "How often the traffic line is printed (default: ${DEFAULT-VALUE}).")
    private String reportEvery;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path home = options.home != null ? options.home : LocalSettings.defaultHome();
        Path config = home.resolve("demo").resolve("config");
        Path scenarios = home.resolve("demo").resolve("scenarios");
        try {
            DemoFiles.writeTo(config, scenarios);
        } catch (IOException e) {
            err.println("meshctl: cannot write the demo's files into " + home.resolve("demo") + ": " + e.getMessage());
            err.flush();
            return 1;
        }
        Duration period = dev.gatemesh.api.model.IstioDuration.parse(reportEvery).value();
        return LocalCommand.runUntilStopped(options.settings(config), spec.commandLine().getOut(), err,
                new Demo(config, scenarios, rate, period));
    }

    /** The apps and the traffic, started once the mesh is ready. */
    private static final class Demo implements LocalCommand.Extra {
        private final Path config;
        private final Path scenarios;
        private final double rate;
        private final Duration period;
        private BookinfoApps apps;
        private TrafficGenerator traffic;

        Demo(Path config, Path scenarios, double rate, Duration period) {
            this.config = config;
            this.scenarios = scenarios;
            this.rate = rate;
            this.period = period;
        }

        @Override
        public void start(LocalUp up, PrintWriter out) {
            apps = BookinfoApps.start(BookinfoApps.fromWorkloadEntries(new ManifestLoader(LoadOptions.DEFAULTS)
                    .loadPaths(List.of(config)).validResources()));
            int ingress = up.mesh().plan().components().stream().filter(c -> c.role() == ProxyRole.INGRESS_GATEWAY)
                    .flatMap(c -> c.ports().stream()).mapToInt(LocalComponent.PortUse::port).findFirst().orElse(8080);
            String base = "http://127.0.0.1:" + ingress;
            out.println();
            out.println("The bookinfo demo is running (apps: productpage, details, reviews v1/v2/v3, ratings).");
            out.println();
            out.println("  Open:        " + base + "/productpage        (as jason: " + base + "/productpage?u=jason)");
            out.println("  Live config: " + config + "   (edit a file: the change applies within a second)");
            out.println("  Scenarios:   " + scenarios);
            out.println();
            out.println("Try, in another terminal:");
            out.println("  curl -s " + base + "/productpage | tail -1                      # which versions served it");
            out.println("  cp " + scenarios.resolve("canary-90-10.yaml") + " " + config.resolve("routes.yaml") + "   # 90/10 canary");
            out.println("  cp " + scenarios.resolve("jason-gets-v2.yaml") + " " + config.resolve("routes.yaml") + "   # jason -> v2, back to normal");
            out.println("  cp " + scenarios.resolve("fault-ratings-for-jason.yaml") + " " + config.resolve("routes.yaml")
                    + "   # ratings fail for jason");
            out.println("  cp " + scenarios.resolve("strict-mtls.yaml") + " " + config.resolve("security.yaml") + "   # STRICT mTLS");
            out.println("  cp " + scenarios.resolve("deny-api-path.yaml") + " " + config + "/   # deny /api/v1/products*");
            out.println("  meshctl proxy-status                                   # every proxy and its sync state");
            out.println();
            out.flush();
            if (rate > 0) {
                traffic = TrafficGenerator.start(URI.create(base), rate, period, line -> {
                    out.println(line);
                    out.flush();
                });
            }
        }

        @Override
        public void close() {
            if (traffic != null) {
                traffic.close();
            }
            if (apps != null) {
                apps.close();
            }
        }
    }
}
