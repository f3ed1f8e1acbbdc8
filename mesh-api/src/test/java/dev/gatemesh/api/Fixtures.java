package dev.gatemesh.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds test fixture files on the test class path and in the repository. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path resource(String name) {
        try {
            var url = Fixtures.class.getClassLoader().getResource(name);
            if (url == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** YAML files under a test resource folder, sorted. */
    public static List<Path> yamlFiles(String folder) {
        try (Stream<Path> files = Files.walk(resource(folder))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's root (the parent of the module folder Maven runs tests in). */
    public static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("examples")) ? here : here.getParent();
    }
}
