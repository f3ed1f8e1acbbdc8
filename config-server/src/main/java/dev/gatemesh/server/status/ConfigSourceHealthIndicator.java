package dev.gatemesh.server.status;

import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.server.push.MeshConfigStore;
import dev.gatemesh.server.source.ConfigSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Up once the config source has read everything; part of readiness, so no proxy is served half a mesh. Rejected
 * input does not make it down: as Istio does, the server keeps serving the last good configuration, and the details
 * list each rejected file (or Kubernetes resource) with the reasons, so an operator sees why an edit did not apply.
 */
public class ConfigSourceHealthIndicator implements HealthIndicator {

    private final ConfigSource source;
    private final MeshConfigStore store;

    public ConfigSourceHealthIndicator(ConfigSource source, MeshConfigStore store) {
        this.source = source;
        this.store = store;
    }

    /** Each file (or resource) with an error, and its errors' messages, in the order they were found. */
    static Map<String, List<String>> rejectedFiles(List<Problem> rejected) {
        Map<String, List<String>> byFile = new LinkedHashMap<>();
        rejected.stream().filter(Problem::isError).forEach(p -> byFile.computeIfAbsent(
                p.file() == null ? "(unknown)" : p.file(), f -> new ArrayList<>())
                .add((p.line() > 0 ? "line " + p.line() + ": " : "") + (p.field() != null ? p.field() + ": " : "")
                        + p.message() + " [" + p.code().code() + "]"));
        return byFile;
    }

    @Override
    public Health health() {
        Health.Builder health = source.isSynced() ? Health.up() : Health.outOfService();
        return health.withDetail("source", source.describe())
                .withDetail("resources", store.current().resources().size())
                .withDetail("services", store.current().registry().services().size())
                .withDetail("rejected", store.rejected().stream().map(p -> p.toLine()).toList())
                .withDetail("rejectedFiles", rejectedFiles(store.rejected()))
                .build();
    }
}
