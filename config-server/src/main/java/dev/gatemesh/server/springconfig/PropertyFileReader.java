package dev.gatemesh.server.springconfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads property files exactly as Spring Boot reads {@code application.yml}/{@code .properties} (its own
 * loaders), so that the keys a client binds are the keys Boot would have produced. A YAML file of several
 * documents is read as one, later documents overriding earlier ones.
 */
public final class PropertyFileReader {

    private final PropertySourceLoader yaml = new YamlPropertySourceLoader();
    private final PropertySourceLoader properties = new PropertiesPropertySourceLoader();

    public PropertyFile read(PropertyFileText file) throws InvalidPropertyFile {
        PropertySourceLoader loader = file.format() == PropertyFileText.Format.YAML ? yaml : properties;
        List<PropertySource<?>> documents;
        try {
            documents = loader.load(file.origin(), new ByteArrayResource(file.text().getBytes(StandardCharsets.UTF_8),
                    file.origin()));
        } catch (IOException | RuntimeException e) {
            throw invalid(file.origin(), e);
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        for (PropertySource<?> document : documents) {
            if (document instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    Object value = enumerable.getProperty(name);
                    flat.remove(name); // a later document's key moves to its position
                    flat.put(name, value instanceof OriginTrackedValue tracked ? plain(tracked.getValue()) : plain(value));
                }
            }
        }
        return new PropertyFile(file.baseName(), file.origin(), flat);
    }

    private static Object plain(Object value) {
        return value instanceof CharSequence text ? text.toString() : value;
    }

    private static InvalidPropertyFile invalid(String origin, Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked) {
                Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
                String problem = marked.getProblem() != null ? marked.getProblem() : marked.getContext();
                if (marked.getContext() != null && marked.getProblem() != null) {
                    problem = marked.getContext() + ": " + marked.getProblem();
                }
                return new InvalidPropertyFile(origin, mark == null ? 0 : mark.getLine() + 1,
                        "not valid YAML (" + oneLine(problem) + (mark == null ? "" : ", column " + (mark.getColumn() + 1))
                                + ")");
            }
        }
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return new InvalidPropertyFile(origin, 0, "cannot be read as Spring properties: " + oneLine(message));
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }
}
