package dev.gatemesh.meshctl;

import dev.gatemesh.meshctl.local.LocalSettings;
import dev.gatemesh.meshctl.local.LocalUp;
import dev.gatemesh.meshctl.local.LocalUpFailure;
import java.io.PrintWriter;
import dev.gatemesh.proxy.path.PathNormalization;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code meshctl local}: a mesh on this machine from a folder of YAML, without Kubernetes. */
@Command(name = "local", mixinStandardHelpOptions = true, description = "Run a mesh on this machine from a folder of YAML.",
        subcommands = {LocalCommand.Up.class})
final class LocalCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try: meshctl local up DIR)");
    }

    /** The options every local-mode command shares. */
    static final class HomeOptions {
        @Option(names = "--home", paramLabel = "DIR",
                description = "The local mesh's home: CA, bootstrap token, logs, run file (default: ~/.gatemesh/local).")
        Path home;

        @Option(names = "--control-plane-port", defaultValue = "" + LocalSettings.DEFAULT_CONTROL_PLANE_PORT,
                description = "The config server's mesh port (default: ${DEFAULT-VALUE}).")
        int controlPlanePort;

        @Option(names = "--management-port", defaultValue = "" + LocalSettings.DEFAULT_MANAGEMENT_PORT,
                description = "The config server's management port, where proxy-status reads (default: ${DEFAULT-VALUE}).")
        int managementPort;

        @Option(names = "--path-normalization", defaultValue = "BASE", paramLabel = "OPTION",
                description = "How the proxies normalize request paths before routing, policy and forwarding, as Istio's "
                        + "meshConfig.pathNormalization: NONE, BASE, MERGE_SLASHES or DECODE_AND_MERGE_SLASHES "
                        + "(default: ${DEFAULT-VALUE}).")
        PathNormalization pathNormalization;

        LocalSettings settings(Path folder) {
            return new LocalSettings(folder, home != null ? home : LocalSettings.defaultHome(), controlPlanePort, managementPort,
                    pathNormalization);
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Start a local mesh from DIR: the config server, a sidecar for every WorkloadEntry on 127.0.0.1, "
                    + "and the ingress (egress) gateway when a Gateway selects it. Runs in the foreground until Ctrl-C."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:stopped", "1:invalid configuration, a port in use, or a component that failed to start",
                    "2:usage error"})
    static final class Up implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "DIR", description = "The folder of YAML (watched: edits apply live).")
        private Path folder;

        @CommandLine.Mixin
        private HomeOptions options;

        @CommandLine.Mixin
        private LimitOptions limits;

        @Override
        public Integer call() throws InterruptedException {
            return runUntilStopped(options.settings(folder).withLimits(limits.limits(spec.commandLine())),
                    spec.commandLine().getOut(), spec.commandLine().getErr(), null);
        }
    }

    /** What the demo adds to a local mesh: started once it is ready, stopped before it. */
    interface Extra extends AutoCloseable {
        void start(LocalUp up, PrintWriter out) throws Exception;

        @Override
        void close();
    }

    /** Starts the mesh, prints the table, and blocks until the JVM is asked to stop (Ctrl-C, SIGTERM). */
    static int runUntilStopped(LocalSettings settings, PrintWriter out, PrintWriter err, Extra extra) throws InterruptedException {
        LocalUp up;
        try {
            up = LocalUp.start(settings, out);
        } catch (LocalUpFailure e) {
            e.lines().forEach(err::println);
            err.flush();
            return 1;
        }
        up.readyLines().forEach(out::println);
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping the local mesh ...");
            out.flush();
            if (extra != null) {
                extra.close();
            }
            up.close();
            out.println("Stopped.");
            out.flush();
        }, "gatemesh-local-shutdown"));
        if (extra != null) {
            try {
                extra.start(up, out);
            } catch (Exception e) {
                err.println("meshctl: " + e.getMessage());
                err.flush();
                System.exit(1); // runs the shutdown hook: nothing is left running
            }
        }
        out.flush();
        new CountDownLatch(1).await();
        return 0;
    }
}
