package dev.gatemesh.proxy.controlplane;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.snapshot.ProxyNode;
import java.net.URI;

/**
 * How a proxy reaches its control plane.
 *
 * @param uri            the stream, e.g. {@code ws://127.0.0.1:15010/v1/stream}
 * @param bootstrapToken the bootstrap credential
 * @param node           who this proxy is
 * @param options        how snapshot resources are read (root namespace, trust domain)
 * @param backoff        how long to wait between reconnection attempts
 * @param maxFrameBytes  the largest snapshot frame accepted
 */
public record ControlPlaneClientSettings(URI uri, String bootstrapToken, ProxyNode node, LoadOptions options,
                                         Backoff backoff, int maxFrameBytes) {
}
