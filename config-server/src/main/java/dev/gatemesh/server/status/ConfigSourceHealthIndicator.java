package dev.gatemesh.server.status;

import dev.gatemesh.server.push.MeshConfigStore;
import dev.gatemesh.server.source.ConfigSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Up once the config source has read everything; part of readiness, so no proxy is served half a mesh. */
public class ConfigSourceHealthIndicator implements HealthIndicator {

    private final ConfigSource source;
    private final MeshConfigStore store;

    public ConfigSourceHealthIndicator(ConfigSource source, MeshConfigStore store) {
        this.source = source;
        this.store = store;
    }

    @Override
    public Health health() {
        Health.Builder health = source.isSynced() ? Health.up() : Health.outOfService();
        return health.withDetail("source", source.describe())
                .withDetail("resources", store.current().resources().size())
                .withDetail("services", store.current().registry().services().size())
                .withDetail("rejected", store.rejected().stream().map(p -> p.toLine()).toList())
                .build();
    }
}
