package dev.gatemesh.proxy.runtime;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.proxy.http.HttpListenerSettings;
import dev.gatemesh.proxy.route.RouteTable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
 * @param http           how every listener reads requests: parsing limits and timeouts
 */
public record SidecarSettings(ProxyNode node, LoadOptions options, URI controlPlane, Path rootCert, Path credentialFile,
                              String workloadClaim, Duration certificateTtl, String outboundHost, int outboundPort,
                              String inboundHost, int inboundPort, String appHost, List<Integer> appPorts,
                              RouteTable.OutboundPolicy outboundPolicy, int concurrency, HttpListenerSettings http) {

    /** With the default parsing limits and timeouts. */
    public SidecarSettings(ProxyNode node, LoadOptions options, URI controlPlane, Path rootCert, Path credentialFile,
                           String workloadClaim, Duration certificateTtl, String outboundHost, int outboundPort,
                           String inboundHost, int inboundPort, String appHost, List<Integer> appPorts,
                           RouteTable.OutboundPolicy outboundPolicy, int concurrency) {
        this(node, options, controlPlane, rootCert, credentialFile, workloadClaim, certificateTtl, outboundHost, outboundPort,
                inboundHost, inboundPort, appHost, appPorts, outboundPolicy, concurrency, HttpListenerSettings.DEFAULTS);
    }

    public SidecarSettings {
        appPorts = List.copyOf(appPorts);
        http = http != null ? http : HttpListenerSettings.DEFAULTS;
        if (concurrency < 1) {
            throw new SidecarConfigurationException("gatemesh.proxy.concurrency is " + concurrency,
                    "the number of event-loop threads of the data path: 1 or more (default 2)");
        }
    }
}
