package dev.gatemesh.proxy.controlplane;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.ca.identity.ControlPlaneIdentity;
import dev.gatemesh.ca.pki.SpiffeId;
import java.net.URI;

/**
 * How a proxy reaches its control plane.
 *
 * @param uri            the stream, e.g. {@code wss://127.0.0.1:15012/v1/stream}
 * @param node           who this proxy is
 * @param options        how snapshot resources are read (root namespace, trust domain)
 * @param backoff        how long to wait between reconnection attempts
 * @param maxFrameBytes  the largest snapshot frame accepted
 */
public record ControlPlaneClientSettings(URI uri, ProxyNode node, LoadOptions options,
                                         Backoff backoff, int maxFrameBytes) {

    /** The identity the control plane must present: {@code spiffe://<trust-domain>/ns/<root-namespace>/sa/gatemesh-config-server}. */
    public SpiffeId controlPlaneIdentity() {
        return ControlPlaneIdentity.of(options.trustDomain(), options.rootNamespace());
    }
}
