package dev.gatemesh.server;

import dev.gatemesh.api.limit.InputLimits;
import dev.gatemesh.api.load.LoadOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The config server's settings, under {@code gatemesh.server}.
 *
 * @param source           where configuration comes from: {@code kubernetes}, {@code file}, or {@code auto}
 *                         (kubernetes when running in a cluster, file elsewhere)
 * @param file             the folder source
 * @param home             the server's own folder (bootstrap token; later the CA's files)
 * @param debounce         how long a burst of changes is coalesced before snapshots are rebuilt
 * @param bootstrapToken   the local-mode credential proxies present to get a certificate; when empty, one is
 *                         generated into {@code <home>/bootstrap-token}
 * @param ca               the mesh CA
 * @param tls              the config server's own serving certificate
 * @param limits           bounds on configuration input; a file or resource over one is rejected and its last good
 *                         version stays in force
 */
@ConfigurationProperties("gatemesh.server")
public record ConfigServerProperties(
        @DefaultValue("auto") SourceType source,
        @DefaultValue FileSource file,
        Path home,
        @DefaultValue("20ms") Duration debounce,
        @DefaultValue("gatemesh-system") String rootNamespace,
        @DefaultValue("cluster.local") String trustDomain,
        @DefaultValue("cluster.local") String domainSuffix,
        @DefaultValue("default") String defaultNamespace,
        String bootstrapToken,
        @DefaultValue Ca ca,
        @DefaultValue Tls tls,
        @DefaultValue Limits limits) {

    public ConfigServerProperties {
        if (home == null) {
            home = Path.of(System.getProperty("user.home"), ".gatemesh"); // @DefaultValue does not resolve ${...}
        }
    }

    public enum SourceType { AUTO, FILE, KUBERNETES }

    /**
     * @param path       the folder of YAML files, watched recursively
     * @param extraFiles more manifest files read with the folder (not watched); local mode puts the gateways'
     *                   WorkloadEntries there
     */
    public record FileSource(@DefaultValue("mesh") Path path, @DefaultValue List<Path> extraFiles) {
    }

    /**
     * The mesh CA.
     *
     * @param defaultTtl the lifetime of a workload certificate when the proxy asks for none
     * @param maxTtl     the longest lifetime the CA grants
     * @param cacerts    a plugged-in CA in Istio's cacerts layout (file source; in a cluster the Secret
     *                   {@code cacerts} in the root namespace); when unset a root is generated and kept
     * @param reloadInterval how often the CA material is read again (a change, e.g. a root rotation step,
     *                   takes effect without a restart) and the trust bundle re-published
     */
    public record Ca(@DefaultValue("24h") Duration defaultTtl, @DefaultValue("90d") Duration maxTtl, Path cacerts,
                     @DefaultValue("10s") Duration reloadInterval) {
    }

    /**
     * The config server's serving certificate (its SPIFFE ID is the control plane's identity).
     *
     * @param hostNames extra DNS names or IP addresses it is reached by, besides localhost, the loopback
     *                  addresses and the names of the {@code gatemesh-config-server} Service
     */
    public record Tls(@DefaultValue List<String> hostNames) {
    }

    /**
     * Bounds on what the config source reads (the defaults are {@link InputLimits#DEFAULTS}, which
     * {@code meshctl analyze} uses too).
     *
     * @param maxFileSize         the largest manifest file read, checked before reading it
     * @param maxResourcesPerFile the most resources (documents) in one file
     * @param maxResources        the most resources of the whole source (folder or cluster)
     * @param maxDepth            the deepest nesting of mappings and lists
     * @param maxScalarLength     the longest single value, in characters
     * @param maxListLength       the most items in one list or keys in one mapping
     * @param maxAliases          the most YAML aliases to mappings or lists in one document
     */
    public record Limits(@DefaultValue("8MB") DataSize maxFileSize, @DefaultValue("10000") int maxResourcesPerFile,
                         @DefaultValue("50000") int maxResources, @DefaultValue("64") int maxDepth,
                         @DefaultValue("262144") int maxScalarLength, @DefaultValue("1000") int maxListLength,
                         @DefaultValue("50") int maxAliases) {

        public InputLimits toInputLimits() {
            try {
                return new InputLimits(maxFileSize.toBytes(), maxResourcesPerFile, maxResources, maxDepth, maxScalarLength,
                        maxListLength, maxAliases);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("gatemesh.server.limits." + e.getMessage(), e);
            }
        }
    }

    /** Every host name the serving certificate names. */
    public List<String> servingHostNames() {
        String service = dev.gatemesh.ca.identity.ControlPlaneIdentity.SERVICE_ACCOUNT;
        List<String> names = new java.util.ArrayList<>(List.of("localhost", "127.0.0.1", "::1", service,
                service + "." + rootNamespace, service + "." + rootNamespace + ".svc",
                service + "." + rootNamespace + ".svc." + domainSuffix));
        tls.hostNames().stream().map(String::trim).filter(n -> !n.isEmpty() && !names.contains(n)).forEach(names::add);
        return List.copyOf(names);
    }

    /** The source in use: {@code auto} is kubernetes in a cluster, file elsewhere. */
    public SourceType effectiveSource() {
        if (source != SourceType.AUTO) {
            return source;
        }
        return System.getenv("KUBERNETES_SERVICE_HOST") != null ? SourceType.KUBERNETES : SourceType.FILE;
    }

    public LoadOptions loadOptions() {
        return new LoadOptions(defaultNamespace, rootNamespace, trustDomain, domainSuffix, limits.toInputLimits());
    }
}
