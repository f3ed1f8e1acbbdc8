package dev.gatemesh.api.problem;

import dev.gatemesh.api.model.Resource;

/** Reports problems of one resource: fills in its name, file and the line of the field path. */
public final class ResourceProblems {

    private final Resource<?> resource;
    private final ProblemSink sink;

    public ResourceProblems(Resource<?> resource, ProblemSink sink) {
        this.resource = resource;
        this.sink = sink;
    }

    public void error(ProblemCode code, String path, String message) {
        add(Severity.ERROR, code, path, message);
    }

    public void warn(ProblemCode code, String path, String message) {
        add(Severity.WARNING, code, path, message);
    }

    public void add(Severity severity, ProblemCode code, String path, String message) {
        sink.add(new Problem(severity, code, resource.ref(), resource.origin().file(),
                resource.origin().lineOf(path), path, message));
    }

    public Resource<?> resource() {
        return resource;
    }
}
