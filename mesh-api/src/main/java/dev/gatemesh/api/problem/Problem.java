package dev.gatemesh.api.problem;

import dev.gatemesh.api.model.ResourceRef;
import java.util.Comparator;

/**
 * One thing wrong with the configuration, located as precisely as it is known.
 *
 * @param resource the resource it belongs to, or null for file-level problems
 * @param file     the file as the user named it, or null when the resource came from elsewhere
 * @param line     1-based line, or 0 when unknown
 * @param field    the field path such as {@code spec.http[0].route[1].weight}, or null
 */
public record Problem(Severity severity, ProblemCode code, ResourceRef resource, String file, int line,
                      String field, String message) {

    /** Errors first is not wanted: a reader follows the file, so order by place, then code. */
    public static final Comparator<Problem> BY_PLACE = Comparator
            .comparing((Problem p) -> p.file == null ? "" : p.file)
            .thenComparingInt(Problem::line)
            .thenComparing(p -> p.field == null ? "" : p.field)
            .thenComparing(p -> p.code.code())
            .thenComparing(Problem::message);

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /**
     * The one-line form: {@code Error [GM0101] VirtualService default/reviews (reviews.yaml:14)
     * spec.http[0].route[1].destination.subset: subset "v4" is not defined ...}.
     */
    public String toLine() {
        StringBuilder out = new StringBuilder();
        out.append(severity.label()).append(" [").append(code.code()).append(']');
        if (resource != null) {
            out.append(' ').append(resource);
        }
        if (file != null) {
            out.append(" (").append(file);
            if (line > 0) {
                out.append(':').append(line);
            }
            out.append(')');
        }
        out.append(' ');
        if (field != null && !field.isEmpty()) {
            out.append(field).append(": ");
        }
        out.append(message);
        return out.toString();
    }

    @Override
    public String toString() {
        return toLine();
    }
}
