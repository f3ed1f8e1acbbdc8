package dev.gatemesh.api.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.Fixtures;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's list of supported Istio fields is generated from the model records, so it cannot
 * drift from what Gatemesh reads. Regenerate with {@code -Dgolden.update=true}.
 */
class SupportedFieldsDocTests {

    private static final String START = "<!-- supported-fields:start (generated from the model; see SupportedFieldsDocTests) -->";
    private static final String END = "<!-- supported-fields:end -->";

    @Test
    void theReadmeListsExactlyTheSupportedFields() throws IOException {
        Path readme = Fixtures.repositoryRoot().resolve("README.md");
        String text = Files.readString(readme);
        String generated = render();
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        assertThat(start).as("README has the supported-fields markers").isNotNegative();
        assertThat(end).isGreaterThan(start);
        String current = text.substring(start + START.length(), end);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(readme, text.substring(0, start + START.length()) + generated + text.substring(end));
            return;
        }
        assertThat(current).as("README supported fields; run with -Dgolden.update=true to regenerate").isEqualTo(generated);
    }

    static String render() {
        StringBuilder out = new StringBuilder("\n");
        for (Kind kind : Kind.values()) {
            if (!kind.group().isIstio()) {
                continue;
            }
            out.append("\n#### ").append(kind.kindName()).append(" (").append(kind.group().group()).append(", ")
                    .append(kind.group().failClosed() ? "security: unsupported fields are errors"
                            : "traffic: unsupported fields are warnings").append(")\n\n");
            walk(kind.specType(), "spec", out, new HashSet<>());
        }
        return out.append("\n").toString();
    }

    private static void walk(Class<?> type, String path, StringBuilder out, Set<Class<?>> seen) {
        if (!seen.add(type)) {
            return;
        }
        List<RecordComponent> components = List.of(type.getRecordComponents());
        IstioFields istio = type.getAnnotation(IstioFields.class);
        out.append("- `").append(path).append("`: ")
                .append(components.stream().map(c -> c.getName() + suffix(c.getGenericType())).collect(Collectors.joining(", ")));
        if (istio != null && istio.unsupported().length > 0) {
            out.append(". Not supported: ").append(String.join(", ", istio.unsupported()));
        }
        out.append("\n");
        for (RecordComponent component : components) {
            Class<?> nested = recordType(component.getGenericType());
            if (nested != null) {
                String marker = component.getGenericType() instanceof ParameterizedType ? suffix(component.getGenericType()) : "";
                walk(nested, path + "." + component.getName() + marker, out, seen);
            }
        }
    }

    private static String suffix(Type type) {
        if (type instanceof ParameterizedType p) {
            return p.getRawType() == List.class ? "[]" : "{}";
        }
        if (type instanceof Class<?> c && c.isEnum()) {
            return " (" + java.util.Arrays.stream(c.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining("|")) + ")";
        }
        return "";
    }

    private static Class<?> recordType(Type type) {
        Type element = type;
        if (type instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            element = args[args.length - 1];
        }
        if (element instanceof Class<?> c && c.isRecord() && c != IstioDuration.class) {
            return c;
        }
        return null;
    }
}
