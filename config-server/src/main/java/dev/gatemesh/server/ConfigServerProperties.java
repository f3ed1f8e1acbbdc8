package dev.gatemesh.server;

import dev.gatemesh.api.load.LoadOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The config server's settings, under {@code gatemesh.server}.
 *
 * @param source           where configuration comes from: {@code kubernetes}, {@code file}, or {@code auto}
 *                         (kubernetes when running in a cluster, file elsewhere)
 * @param file             the folder source
 * @param home             the server's own folder (bootstrap token; later the CA's files)
 * @param debounce         how long a burst of changes is coalesced before snapshots are rebuilt
 * @param bootstrapToken   the shared credential proxies present until they have certificates; when empty,
 *                         one is generated into {@code <home>/bootstrap-token}
 */
@ConfigurationProperties("gatemesh.server")
public record ConfigServerProperties(
        @DefaultValue("auto") SourceType source,
        @DefaultValue FileSource file,
        @DefaultValue("${user.home}/.gatemesh") Path home,
        @DefaultValue("20ms") Duration debounce,
        @DefaultValue("gatemesh-system") String rootNamespace,
        @DefaultValue("cluster.local") String trustDomain,
        @DefaultValue("cluster.local") String domainSuffix,
        @DefaultValue("default") String defaultNamespace,
        String bootstrapToken) {

    public enum SourceType { AUTO, FILE, KUBERNETES }

    /** @param path the folder of YAML files, watched recursively */
    public record FileSource(@DefaultValue("mesh") Path path) {
    }

    public LoadOptions loadOptions() {
        return new LoadOptions(defaultNamespace, rootNamespace, trustDomain, domainSuffix);
    }
}
