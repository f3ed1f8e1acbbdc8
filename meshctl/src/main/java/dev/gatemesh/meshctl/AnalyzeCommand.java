package dev.gatemesh.meshctl;

import dev.gatemesh.api.analyze.AnalysisReport;
import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.problem.ProblemCode;
import dev.gatemesh.api.write.ManifestWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code meshctl analyze PATH...}: validates Istio manifests in files and folders and checks them
 * against each other. Exit code 0 without errors (warnings allowed), 1 with errors, 2 for usage
 * errors and unreadable paths.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Validate Istio manifests (files or folders, searched recursively) and check them against each other.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no errors (warnings allowed)", "1:errors found", "2:usage error or unreadable path"})
final class AnalyzeCommand implements Callable<Integer> {

    enum Output { text, json }

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "YAML or JSON files, or folders of them.")
    private List<Path> paths;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    private Output output;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default",
            description = "Namespace of resources that name none (default: ${DEFAULT-VALUE}).")
    private String namespace;

    @Option(names = "--root-namespace", defaultValue = "gatemesh-system",
            description = "The mesh's root namespace, where mesh-wide policies live (default: ${DEFAULT-VALUE}).")
    private String rootNamespace;

    @picocli.CommandLine.Mixin
    private LimitOptions limits;

    @Override
    public Integer call() {
        LoadOptions options = LoadOptions.DEFAULTS.withDefaultNamespace(namespace).withRootNamespace(rootNamespace)
                .withLimits(limits.limits(spec.commandLine()));
        AnalysisReport report = AnalysisReport.of(paths, options);
        PrintWriter out = spec.commandLine().getOut();
        if (output == Output.json) {
            out.println(ManifestWriter.toJson(json(report)));
        } else {
            report.problems().forEach(p -> out.println(p.toLine()));
            out.println(summary(report));
        }
        out.flush();
        if (report.problems().stream().anyMatch(p -> p.code() == ProblemCode.UNREADABLE)) {
            return 2;
        }
        return report.errorCount() > 0 ? 1 : 0;
    }

    private static String summary(AnalysisReport report) {
        if (report.problems().isEmpty()) {
            return "No problems found in " + plural(report.resourceCount(), "resource") + ".";
        }
        return plural(report.errorCount(), "error") + " and " + plural(report.warningCount(), "warning") + " in "
                + plural(report.resourceCount(), "resource") + ".";
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static Map<String, Object> json(AnalysisReport report) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("resources", report.resourceCount());
        out.put("errors", report.errorCount());
        out.put("warnings", report.warningCount());
        out.put("problems", report.problems().stream().map(AnalyzeCommand::json).toList());
        return out;
    }

    private static Map<String, Object> json(Problem problem) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("severity", problem.severity().label());
        out.put("code", problem.code().code());
        if (problem.resource() != null) {
            out.put("kind", problem.resource().kind());
            out.put("namespace", problem.resource().namespace());
            out.put("name", problem.resource().name());
        }
        out.put("file", problem.file());
        out.put("line", problem.line());
        out.put("field", problem.field());
        out.put("message", problem.message());
        out.put("text", problem.toLine());
        return out;
    }
}
