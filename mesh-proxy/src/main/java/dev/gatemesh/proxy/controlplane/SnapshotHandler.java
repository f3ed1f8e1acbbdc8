package dev.gatemesh.proxy.controlplane;

import dev.gatemesh.api.snapshot.ProxySnapshot;

/**
 * Applies a snapshot to the proxy, atomically. Throwing refuses it: the client answers NACK with the
 * exception's message and the previous snapshot stays in force.
 */
@FunctionalInterface
public interface SnapshotHandler {

    void apply(ProxySnapshot snapshot) throws Exception;
}
