package dev.gatemesh.proxy.runtime;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.proxy.http.HttpListenerSettings;
import dev.gatemesh.proxy.route.RouteTable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import dev.gatemesh.proxy.path.PathNormalization;

/**
 * What a sidecar needs to start.
 *
 * @param controlPlane   the config server's mesh port, e.g. {@code https://127.0.0.1:15012}
 * @param rootCert       the mesh's trust bundle (PEM) to trust the control plane with before the first certificate
 * @param credentialFile the bootstrap token (local mode) or projected service-account token (Kubernetes)
 * @param workloadClaim  local mode: {@code namespace/name} of the proxy's WorkloadEntry; null in a cluster
 * @param certificateTtl the certificate lifetime to ask for, or null for the CA's default
 * @param appPorts       the app's ports on {@code appHost}; the first is the default
 * @param concurrency    the data path's event-loop threads (Istio's proxy concurrency)
 * @param pathNormalization how request paths are normalized before routing, policy and forwarding (Istio's
 *                       {@code meshConfig.pathNormalization}; BASE by default)
 * @param protectedPorts ports on this host that traffic through the proxy must never reach: its management port(s),
 *                       and in local mode the config server's (its own listeners are always refused)
 * @param http           how every listener reads requests: parsing limits and timeouts
 */
public record SidecarSettings(ProxyNode node, LoadOptions options, URI controlPlane, Path rootCert, Path credentialFile,
                              String workloadClaim, Duration certificateTtl, String outboundHost, int outboundPort,
                              String inboundHost, int inboundPort, String appHost, List<Integer> appPorts,
                              RouteTable.OutboundPolicy outboundPolicy, int concurrency, HttpListenerSettings http,
                              PathNormalization pathNormalization, Set<Integer> protectedPorts) {

    /** With the default parsing limits and timeouts, Istio's default path normalization (BASE), no port to protect. */
    public SidecarSettings(ProxyNode node, LoadOptions options, URI controlPlane, Path rootCert, Path credentialFile,
                           String workloadClaim, Duration certificateTtl, String outboundHost, int outboundPort,
                           String inboundHost, int inboundPort, String appHost, List<Integer> appPorts,
                           RouteTable.OutboundPolicy outboundPolicy, int concurrency) {
        this(node, options, controlPlane, rootCert, credentialFile, workloadClaim, certificateTtl, outboundHost, outboundPort,
                inboundHost, inboundPort, appHost, appPorts, outboundPolicy, concurrency, HttpListenerSettings.DEFAULTS,
                PathNormalization.BASE, Set.of());
    }

    public SidecarSettings {
        appPorts = List.copyOf(appPorts);
        http = http != null ? http : HttpListenerSettings.DEFAULTS;
        protectedPorts = Set.copyOf(protectedPorts);
        if (pathNormalization == null) {
            throw new SidecarConfigurationException("gatemesh.proxy.path-normalization is not set",
                    "one of NONE, BASE (default), MERGE_SLASHES, DECODE_AND_MERGE_SLASHES");
        }
        if (concurrency < 1) {
            throw new SidecarConfigurationException("gatemesh.proxy.concurrency is " + concurrency,
                    "the number of event-loop threads of the data path: 1 or more (default 2)");
        }
    }
}
