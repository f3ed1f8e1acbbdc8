package dev.gatemesh.api.write;

import dev.gatemesh.api.model.IstioDuration;
import dev.gatemesh.api.model.ObjectMeta;
import dev.gatemesh.api.model.Resource;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes model records back as Istio YAML or JSON: component names are field names, absent (null)
 * and empty fields are left out, durations in Istio's form, enums by name. Output is deterministic:
 * fields in declaration order, maps in their (kept) insertion order.
 */
public final class ManifestWriter {

    /** The reader's schema: a string it would read back as another type is quoted. */
    private static final DumpSettings YAML = DumpSettings.builder()
            .setSchema(new CoreSchema())
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .setIndent(2)
            .setIndicatorIndent(0)
            .setWidth(1000)
            .build();
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ManifestWriter() {
    }

    /** A resource as plain maps and lists: apiVersion, kind, metadata, spec. */
    public static Map<String, Object> toPlain(Resource<?> resource) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("apiVersion", resource.apiVersion());
        out.put("kind", resource.kind().kindName());
        out.put("metadata", plainValue(resource.metadata()));
        Object spec = plainValue(resource.spec());
        out.put("spec", spec == null ? Map.of() : spec);
        return out;
    }

    public static String toYaml(Resource<?> resource) {
        return new Dump(YAML).dumpToString(toPlain(resource));
    }

    /** Several resources as one multi-document YAML text. */
    public static String toYaml(List<Resource<?>> resources) {
        StringBuilder out = new StringBuilder();
        for (Resource<?> resource : resources) {
            if (!out.isEmpty()) {
                out.append("---\n");
            }
            out.append(toYaml(resource));
        }
        return out.toString();
    }

    /** Plain data (maps, lists, scalars) as block YAML, keys in their map's order. */
    public static String toYamlText(Object plain) {
        return new Dump(YAML).dumpToString(plain);
    }

    public static String toJson(Object plain) {
        return JSON.writeValueAsString(plain);
    }

    /** Any model value (record, list, map, scalar) as plain data; null when absent or empty. */
    public static Object plainValue(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof IstioDuration duration) {
            return duration.text();
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        if (value instanceof ObjectMeta meta) {
            Map<String, Object> out = new LinkedHashMap<>();
            putIfPresent(out, "name", meta.name());
            putIfPresent(out, "namespace", meta.namespace());
            putIfPresent(out, "labels", plainValue(meta.labels()));
            putIfPresent(out, "annotations", plainValue(meta.annotations()));
            return out;
        }
        if (value instanceof Record record) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                putIfPresent(out, component.getName(), plainValue(read(component, record)));
            }
            return out.isEmpty() ? new LinkedHashMap<>() : out;
        }
        if (value instanceof Collection<?> collection) {
            if (collection.isEmpty()) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            for (Object item : collection) {
                Object plain = plainValue(item);
                out.add(plain == null ? new LinkedHashMap<>() : plain);
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                return null;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object plain = plainValue(v);
                out.put(String.valueOf(k), plain == null && v instanceof String ? "" : plain == null ? new LinkedHashMap<>() : plain);
            });
            return out;
        }
        return value;
    }

    private static void putIfPresent(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + component.getName(), e);
        }
    }
}
