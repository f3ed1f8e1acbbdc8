package dev.gatemesh.api.analyze;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.LoadResult;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.problem.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The result of {@code meshctl analyze}: every problem found reading, validating and cross-checking. */
public record AnalysisReport(int resourceCount, List<Problem> problems) {

    public AnalysisReport {
        problems = List.copyOf(problems);
    }

    /** Loads the paths, validates each resource and analyzes the whole set. */
    public static AnalysisReport of(List<Path> paths, LoadOptions options) {
        LoadResult loaded = new ManifestLoader(options).loadPaths(paths);
        List<Problem> problems = new ArrayList<>(loaded.problems());
        problems.addAll(new MeshAnalyzer(options).analyze(loaded.allResources()));
        problems.sort(Problem.BY_PLACE);
        return new AnalysisReport(loaded.resources().size(), problems);
    }

    public long errorCount() {
        return problems.stream().filter(Problem::isError).count();
    }

    public long warningCount() {
        return problems.size() - errorCount();
    }
}
