package dev.gatemesh.api.crd;

import dev.gatemesh.api.model.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The chart's CRD template: the generated CRDs wrapped in the {@code crds.install} switch. Run as a program
 * it writes the file ({@code java -cp ... dev.gatemesh.api.crd.CrdFile helm/gatemesh/templates/crds.yaml});
 * the build regenerates it with the command in {@link #REGENERATE}.
 */
public final class CrdFile {

    /** How a developer brings the committed file up to date. */
    public static final String REGENERATE = "./mvnw -B -ntp -pl helm -am test -Dtest=CommittedCrdsTests"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dgatemesh.crds.write=true";

    private CrdFile() {
    }

    /** The whole template text. */
    public static String text() {
        return "{{- /* Generated from the Gatemesh model (dev.gatemesh.api.crd); do not edit. Regenerate with:\n"
                + "     " + REGENERATE + " */}}\n"
                + "{{- define \"gatemesh.istioResources\" -}}\n"
                + resourcesJson() + "\n"
                + "{{- end }}\n"
                + "{{- if .Values.crds.install }}\n"
                + CustomResourceDefinitions.yaml()
                + "{{- end }}\n";
    }

    /**
     * The plural resource names of the Istio kinds by API group, as JSON: the chart's RBAC and validating
     * webhook read them ({@code include "gatemesh.istioResources" . | fromJson}), so a kind added to the
     * model is watched and validated with no change to the chart.
     */
    static String resourcesJson() {
        Map<String, List<String>> byGroup = new TreeMap<>();
        for (Kind kind : Kind.values()) {
            if (kind.group().isIstio()) {
                byGroup.computeIfAbsent(kind.group().group(), g -> new ArrayList<>())
                        .add(CustomResourceDefinitions.plural(kind.kindName()));
            }
        }
        return byGroup.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + e.getValue().stream().map(p -> "\"" + p + "\"")
                        .collect(Collectors.joining(",", "[", "]")))
                .collect(Collectors.joining(",", "{", "}"));
    }

    public static void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text(), StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CrdFile <path of helm/gatemesh/templates/crds.yaml>");
            System.exit(2);
        }
        write(Path.of(args[0]));
    }
}
