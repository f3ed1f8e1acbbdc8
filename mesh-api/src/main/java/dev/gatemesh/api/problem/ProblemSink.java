package dev.gatemesh.api.problem;

import java.util.ArrayList;
import java.util.List;

/** Collects problems; never throws, so a pass over bad input reports everything it finds. */
public final class ProblemSink {

    private final List<Problem> problems = new ArrayList<>();

    public void add(Problem problem) {
        problems.add(problem);
    }

    public void addAll(List<Problem> more) {
        problems.addAll(more);
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(Problem::isError);
    }
}
