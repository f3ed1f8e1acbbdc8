package dev.gatemesh.api.crd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
                + "{{- if .Values.crds.install }}\n"
                + CustomResourceDefinitions.yaml()
                + "{{- end }}\n";
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
