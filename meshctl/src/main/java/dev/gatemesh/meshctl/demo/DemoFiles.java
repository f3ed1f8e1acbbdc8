package dev.gatemesh.meshctl.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The demo's YAML, bundled in meshctl's jar (the build copies {@code examples/bookinfo} and
 * {@code scenarios/bookinfo}): written out so that the demo runs from anywhere and the user edits real files.
 */
public final class DemoFiles {

    private DemoFiles() {
    }

    /** Writes the bundled example mesh into {@code config} and the scenarios into {@code scenarios}, replacing what is there. */
    public static void writeTo(Path config, Path scenarios) throws IOException {
        copy("demo/bookinfo", config);
        copy("demo/scenarios", scenarios);
    }

    private static void copy(String location, Path target) throws IOException {
        Resource[] files = new PathMatchingResourcePatternResolver(DemoFiles.class.getClassLoader())
                .getResources("classpath*:" + location + "/*.yaml");
        if (files.length == 0) {
            throw new IOException("meshctl's jar has no " + location + " files: rebuild it with ./mvnw install -DskipTests");
        }
        if (Files.isDirectory(target)) {
            try (var old = Files.list(target)) {
                List<Path> yaml = old.filter(p -> p.getFileName().toString().endsWith(".yaml")).toList();
                for (Path file : yaml) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(target);
        List<String> names = new ArrayList<>();
        for (Resource file : files) {
            try (InputStream in = file.getInputStream()) {
                Files.copy(in, target.resolve(file.getFilename()), StandardCopyOption.REPLACE_EXISTING);
                names.add(file.getFilename());
            }
        }
    }
}
