package dev.gatemesh.meshctl;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The Gatemesh command-line tool. */
@Command(name = "meshctl", mixinStandardHelpOptions = true, version = "meshctl 0.1.0",
        description = "Gatemesh command-line tool.",
        subcommands = {AnalyzeCommand.class, InjectCommand.class, LocalCommand.class, DemoCommand.class, ProxyStatusCommand.class, ProxyConfigCommand.class,
                CommandLine.HelpCommand.class})
public final class Meshctl implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests and {@link #main}). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line (tests set its output streams). */
    public static CommandLine commandLine() {
        return new CommandLine(new Meshctl())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("meshctl: " + e.getMessage());
                    return 2;
                });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try: meshctl analyze DIR)");
    }
}
