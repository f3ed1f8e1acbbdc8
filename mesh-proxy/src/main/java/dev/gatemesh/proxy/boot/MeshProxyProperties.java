package dev.gatemesh.proxy.boot;

import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.proxy.path.PathNormalization;
import dev.gatemesh.proxy.route.RouteTable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A proxy's settings, under {@code gatemesh.proxy}.
 *
 * @param id                    this proxy's name (pod name, or the local-mode workload name); defaults to the workload
 * @param namespace             the workload's namespace
 * @param serviceAccount        the workload's service account: its identity
 * @param labels                the workload's labels (policies and subsets select on them)
 * @param controlPlane          the config server's mesh port
 * @param rootCert              the mesh's trust bundle, to trust the config server before the first certificate
 *                              (default {@code ~/.gatemesh/root-cert.pem}, where a local config server publishes it)
 * @param credentialFile        the bootstrap token (local mode) or the projected service-account token (Kubernetes)
 *                              (default {@code ~/.gatemesh/bootstrap-token})
 * @param workload              local mode: the {@code namespace/name} of this proxy's WorkloadEntry (what the bootstrap
 *                              token proves together with it)
 * @param certificateTtl        the certificate lifetime to ask for (the CA's default when unset)
 * @param outboundTrafficPolicy ALLOW_ANY (unknown hosts pass through) or REGISTRY_ONLY (refused with 502)
 * @param concurrency           the data path's event-loop threads, like Istio's proxy concurrency (default 2)
 * @param role                  SIDECAR (default), INGRESS_GATEWAY or EGRESS_GATEWAY
 * @param gateway               a gateway's listeners
 * @param pathNormalization     how request paths are normalized before routing, policy, telemetry and forwarding:
 *                              NONE, BASE (default, as Istio), MERGE_SLASHES or DECODE_AND_MERGE_SLASHES (Istio's
 *                              {@code meshConfig.pathNormalization}; the chart sets it mesh-wide)
 * @param requestHeadersTimeout every listener: the longest a client may take to send a request's header section,
 *                              from its first byte (default 10s; slower clients get 408 and are disconnected)
 * @param idleTimeout           every listener: how long a keep-alive connection may wait for its next request
 *                              (default 1h, Envoy's)
 */
@ConfigurationProperties("gatemesh.proxy")
public record MeshProxyProperties(
        String id,
        @DefaultValue("default") String namespace,
        @DefaultValue("default") String serviceAccount,
        @DefaultValue Map<String, String> labels,
        @DefaultValue("https://127.0.0.1:15012") URI controlPlane,
        Path rootCert,
        Path credentialFile,
        String workload,
        Duration certificateTtl,
        @DefaultValue Outbound outbound,
        @DefaultValue Inbound inbound,
        @DefaultValue App app,
        @DefaultValue("ALLOW_ANY") RouteTable.OutboundPolicy outboundTrafficPolicy,
        @DefaultValue("cluster.local") String trustDomain,
        @DefaultValue("gatemesh-system") String rootNamespace,
        @DefaultValue("cluster.local") String domainSuffix,
        @DefaultValue("2") int concurrency,
        @DefaultValue("SIDECAR") ProxyRole role,
        @DefaultValue Gateway gateway,
        @DefaultValue("BASE") PathNormalization pathNormalization,
        @DefaultValue("10s") Duration requestHeadersTimeout,
        @DefaultValue("1h") Duration idleTimeout) {

    public MeshProxyProperties {
        // @DefaultValue does not resolve ${user.home}: the local-mode defaults are set here.
        Path home = Path.of(System.getProperty("user.home"), ".gatemesh");
        rootCert = rootCert != null ? rootCert : home.resolve("root-cert.pem");
        credentialFile = credentialFile != null ? credentialFile : home.resolve("bootstrap-token");
    }

    /** The outbound listener: the app's calls to other services. Loopback only. */
    public record Outbound(@DefaultValue("127.0.0.1") String host, @DefaultValue("15001") int port) {
    }

    /** The inbound listener: mesh traffic for the app (all interfaces in a pod; loopback in local mode). */
    public record Inbound(@DefaultValue("0.0.0.0") String host, @DefaultValue("15006") int port) {
    }

    /**
     * A gateway's ports (those its Gateway servers name) listen on {@code host}: all interfaces by default. Their TLS
     * is terminated by {@code tlsProvider}: JDK (default) or OPENSSL (needs netty-tcnative on the class path).
     */
    public record Gateway(@DefaultValue("0.0.0.0") String host, @DefaultValue("JDK") TlsProvider tlsProvider) {
    }

    /** Who terminates a gateway's TLS. */
    public enum TlsProvider { JDK, OPENSSL }

    /** Where the app listens; the first port is the default for callers that name none. */
    public record App(@DefaultValue("127.0.0.1") String host, @DefaultValue("8080") List<Integer> ports) {
    }
}
