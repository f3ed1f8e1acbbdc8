package dev.gatemesh.api.snapshot;

import dev.gatemesh.api.bind.RecordBinder;
import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.LoadedResource;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.model.Resource;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.registry.MeshService;
import dev.gatemesh.api.write.ManifestWriter;
import dev.gatemesh.api.yaml.YamlNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The snapshot's wire form: canonical JSON ({@code version}, {@code services}, {@code resources} as
 * Istio manifests), map keys sorted so equal content gives equal bytes. Decoding re-validates every
 * resource, so a proxy never applies what it cannot read exactly.
 */
public final class SnapshotCodec {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private SnapshotCodec() {
    }

    /** The outcome of decoding: a snapshot, or the reasons it was refused. */
    public record Decoded(ProxySnapshot snapshot, List<String> errors) {
        public boolean ok() {
            return snapshot != null;
        }
    }

    /** A snapshot with its wire form, serialized once: the version is the hash of exactly these bytes. */
    public record Encoded(ProxySnapshot snapshot, String json) {
    }

    static Encoded withVersion(List<MeshService> services, List<Resource<?>> resources) {
        String content = contentJson(services, resources);
        String version = version(content);
        // {"resources":...,"services":...} -> {"resources":...,"services":...,"version":"..."} (keys stay sorted)
        String json = content.substring(0, content.length() - 1) + ",\"version\":\"" + version + "\"}";
        return new Encoded(new ProxySnapshot(version, services, resources), json);
    }

    public static String encode(ProxySnapshot snapshot) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", snapshot.version());
        out.putAll(content(snapshot.services(), snapshot.resources()));
        return JSON.writeValueAsString(out);
    }

    public static Decoded decode(Map<String, Object> json, LoadOptions options) {
        List<String> errors = new ArrayList<>();
        Object version = json.get("version");
        if (!(version instanceof String)) {
            return new Decoded(null, List.of("the snapshot has no version"));
        }
        List<MeshService> services = new ArrayList<>();
        RecordBinder binder = new RecordBinder(true, (severity, code, path, line, message) -> {
            if (severity == dev.gatemesh.api.problem.Severity.ERROR) {
                errors.add(path + ": " + message);
            }
        });
        int index = 0;
        for (Object service : list(json.get("services"))) {
            services.add(binder.bindRecord(YamlNode.fromPlain(service), MeshService.class, "services[" + index++ + "]"));
        }
        ManifestLoader loader = new ManifestLoader(options);
        List<Resource<?>> resources = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        index = 0;
        for (Object resource : list(json.get("resources"))) {
            LoadedResource loaded = loader.readDocument(YamlNode.fromPlain(resource), "snapshot resources[" + index++ + "]", 0,
                    problems);
            if (loaded != null) {
                problems.addAll(loaded.problems());
                resources.add(loaded.resource());
            }
        }
        problems.stream().filter(Problem::isError).forEach(p -> errors.add(p.toLine()));
        if (!errors.isEmpty()) {
            return new Decoded(null, errors);
        }
        String expected = version(contentJson(services, resources));
        if (!expected.equals(version)) {
            return new Decoded(null, List.of("the snapshot's content does not match its version " + version));
        }
        return new Decoded(new ProxySnapshot((String) version, services, resources), List.of());
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    private static Map<String, Object> content(List<MeshService> services, List<Resource<?>> resources) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("services", services.stream().map(ManifestWriter::plainValue).toList());
        out.put("resources", resources.stream().map(ManifestWriter::toPlain).toList());
        return out;
    }

    private static String contentJson(List<MeshService> services, List<Resource<?>> resources) {
        return JSON.writeValueAsString(content(services, resources));
    }

    static String version(String content) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
