package dev.gatemesh.server.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The RFC 6902 JSON Patch that turns one document into another, with {@code add}, {@code remove} and
 * {@code replace} only: objects are compared member by member, arrays of equal length element by element, and an
 * array whose length changed is replaced whole (a patch that inserts into the middle of the pod's containers by
 * index would be wrong the moment the API server's view differs from ours by one element).
 */
public final class JsonPatchDiff {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonPatchDiff() {
    }

    public static ArrayNode diff(JsonNode source, JsonNode target) {
        ArrayNode patch = NODES.arrayNode();
        compare("", source, target, patch);
        return patch;
    }

    private static void compare(String path, JsonNode source, JsonNode target, ArrayNode patch) {
        if (source.equals(target)) {
            return;
        }
        if (source.isObject() && target.isObject()) {
            compareObjects(path, source, target, patch);
        } else if (source.isArray() && target.isArray() && source.size() == target.size()) {
            for (int i = 0; i < source.size(); i++) {
                compare(path + "/" + i, source.get(i), target.get(i), patch);
            }
        } else {
            patch.add(op("replace", path).set("value", target.deepCopy()));
        }
    }

    private static void compareObjects(String path, JsonNode source, JsonNode target, ArrayNode patch) {
        for (Iterator<String> names = source.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!target.has(name)) {
                patch.add(op("remove", path + "/" + escape(name)));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = target.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String child = path + "/" + escape(field.getKey());
            JsonNode before = source.get(field.getKey());
            if (before == null) {
                patch.add(op("add", child).set("value", field.getValue().deepCopy()));
            } else {
                compare(child, before, field.getValue(), patch);
            }
        }
    }

    private static ObjectNode op(String op, String path) {
        return NODES.objectNode().put("op", op).put("path", path);
    }

    /** RFC 6901: {@code ~} and {@code /} in a member name ({@code sidecar.gatemesh.dev/status}). */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
