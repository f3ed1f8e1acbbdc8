package dev.gatemesh.api.protocol;

import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Encodes and decodes {@link ControlMessage}s as JSON objects with a {@code type} field. */
public final class ProtocolCodec {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private ProtocolCodec() {
    }

    /** A frame that is not a message of this protocol. */
    public static class ProtocolException extends RuntimeException {
        public ProtocolException(String message) {
            super(message);
        }
    }

    /** A well-formed message of a type this side does not know (a newer peer): to be ignored, not fatal. */
    public static final class UnknownMessageType extends ProtocolException {
        private final String type;

        public UnknownMessageType(String type) {
            super("unknown message type \"" + type + "\"");
            this.type = type;
        }

        public String type() {
            return type;
        }
    }

    public static String encode(ControlMessage message) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (message instanceof ControlMessage.Hello hello) {
            out.put("type", "hello");
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", hello.node().id());
            node.put("role", hello.node().role().name());
            node.put("namespace", hello.node().namespace());
            node.put("serviceAccount", hello.node().serviceAccount());
            node.put("labels", hello.node().labels());
            out.put("node", node);
            out.put("runningVersion", hello.runningVersion());
        } else if (message instanceof ControlMessage.Snapshot snapshot) {
            out.put("type", "snapshot");
            out.put("version", snapshot.version());
            out.put("snapshot", snapshot.body());
        } else if (message instanceof ControlMessage.Ack ack) {
            out.put("type", "ack");
            out.put("version", ack.version());
        } else if (message instanceof ControlMessage.Nack nack) {
            out.put("type", "nack");
            out.put("version", nack.version());
            out.put("reason", nack.reason());
        } else if (message instanceof ControlMessage.Certificate certificate) {
            out.put("type", "certificate");
            out.put("chain", certificate.chainPem());
        } else if (message instanceof ControlMessage.PropertiesChanged changed) {
            out.put("type", "properties-changed");
            out.put("applications", changed.applications());
            out.put("version", changed.version());
        }
        return JSON.writeValueAsString(out);
    }

    /** A snapshot frame from an already encoded snapshot (encoded once, sent to many proxies). */
    public static String encodeSnapshot(String version, String snapshotJson) {
        return "{\"type\":\"snapshot\",\"version\":" + JSON.writeValueAsString(version) + ",\"snapshot\":" + snapshotJson + "}";
    }

    @SuppressWarnings("unchecked")
    public static ControlMessage decode(String frame) {
        Map<String, Object> json;
        try {
            json = JSON.readValue(frame, OBJECT);
        } catch (JacksonException e) {
            throw new ProtocolException("not a JSON object: " + e.getOriginalMessage());
        }
        Object type = json.get("type");
        if (!(type instanceof String t)) {
            throw new ProtocolException("the message has no type");
        }
        return switch (t) {
            case "hello" -> new ControlMessage.Hello(node(json.get("node")), text(json, "runningVersion", false));
            case "snapshot" -> {
                if (!(json.get("snapshot") instanceof Map<?, ?> body)) {
                    throw new ProtocolException("a snapshot message needs a snapshot object");
                }
                yield new ControlMessage.Snapshot(text(json, "version", true), (Map<String, Object>) body);
            }
            case "ack" -> new ControlMessage.Ack(text(json, "version", true));
            case "nack" -> new ControlMessage.Nack(text(json, "version", true), text(json, "reason", false));
            case "certificate" -> new ControlMessage.Certificate(text(json, "chain", true));
            case "properties-changed" -> new ControlMessage.PropertiesChanged(names(json.get("applications")),
                    text(json, "version", true));
            default -> throw new UnknownMessageType(t);
        };
    }

    @SuppressWarnings("unchecked")
    private static ProxyNode node(Object value) {
        if (!(value instanceof Map<?, ?> node)) {
            throw new ProtocolException("hello needs a node object");
        }
        Map<String, Object> fields = (Map<String, Object>) node;
        String id = text(fields, "id", true);
        String role = text(fields, "role", true);
        ProxyRole proxyRole;
        try {
            proxyRole = ProxyRole.valueOf(role);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("unknown proxy role \"" + role + "\"");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (fields.get("labels") instanceof Map<?, ?> given) {
            given.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        }
        return new ProxyNode(id, proxyRole, text(fields, "namespace", true), text(fields, "serviceAccount", false), labels);
    }

    private static List<String> names(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new ProtocolException("properties-changed needs an applications list");
        }
        List<String> names = new ArrayList<>();
        for (Object name : list) {
            if (!(name instanceof String s) || s.isEmpty()) {
                throw new ProtocolException("properties-changed: every application must be a non-empty string");
            }
            names.add(s);
        }
        return names;
    }

    private static String text(Map<String, Object> json, String key, boolean required) {
        Object value = json.get(key);
        if (value == null && !required) {
            return null;
        }
        if (!(value instanceof String s) || s.isEmpty()) {
            throw new ProtocolException("the message needs a non-empty string \"" + key + "\"");
        }
        return s;
    }

    /** Parses a JSON object (for snapshot bodies kept as text). */
    public static Map<String, Object> parseObject(String json) {
        try {
            return JSON.readValue(json, OBJECT);
        } catch (JacksonException e) {
            throw new ProtocolException("not a JSON object: " + e.getOriginalMessage());
        }
    }
}
