package dev.gatemesh.helm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The documents {@code helm template} printed, each parsed into its typed fabric8 model object (a kind
 * fabric8 does not know stays a {@link GenericKubernetesResource}, which the tests refuse).
 *
 * @param documents the objects in the order helm printed them
 * @param texts     each object's YAML text, to name it in a failure
 */
public record RenderedChart(List<HasMetadata> documents, List<String> texts) {

    private static final Pattern SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    public static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    public static RenderedChart parse(String yaml) {
        List<HasMetadata> documents = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (String text : SEPARATOR.split(yaml)) {
            boolean empty = text.lines().allMatch(line -> line.isBlank() || line.trim().startsWith("#"));
            if (empty) {
                continue;
            }
            Object parsed = SERIALIZATION.unmarshal(text);
            if (!(parsed instanceof HasMetadata object)) {
                throw new AssertionError("a rendered document is not a Kubernetes object:\n" + text);
            }
            documents.add(object);
            texts.add(text);
        }
        return new RenderedChart(List.copyOf(documents), List.copyOf(texts));
    }

    public <T extends HasMetadata> List<T> all(Class<T> type) {
        return documents.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    public <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name
                + " rendered; rendered: " + documents.stream().map(RenderedChart::describe).toList()));
    }

    public static String describe(HasMetadata object) {
        return object.getKind() + " " + object.getMetadata().getName();
    }
}
