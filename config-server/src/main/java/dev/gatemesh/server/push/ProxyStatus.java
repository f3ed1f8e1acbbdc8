package dev.gatemesh.server.push;

import dev.gatemesh.api.snapshot.ProxyNode;
import java.time.Instant;

/**
 * One connected proxy as the control plane sees it; immutable, replaced on every change.
 *
 * @param sentVersion   the latest snapshot version handed to it
 * @param ackedVersion  the latest version it acknowledged
 * @param nackedVersion the latest version it refused, with {@code nackReason}
 */
public record ProxyStatus(ProxyNode node, Instant connectedSince, String sentVersion, Instant sentAt,
                          String ackedVersion, Instant ackedAt, String nackedVersion, String nackReason) {

    public SyncState state() {
        if (sentVersion != null && sentVersion.equals(ackedVersion)) {
            return SyncState.SYNCED;
        }
        if (sentVersion != null && sentVersion.equals(nackedVersion)) {
            return SyncState.NACKED;
        }
        return SyncState.STALE;
    }

    ProxyStatus sent(String version, Instant at) {
        return new ProxyStatus(node, connectedSince, version, at, ackedVersion, ackedAt, nackedVersion, nackReason);
    }

    ProxyStatus acked(String version, Instant at) {
        return new ProxyStatus(node, connectedSince, sentVersion, sentAt, version, at, nackedVersion, nackReason);
    }

    ProxyStatus nacked(String version, String reason) {
        return new ProxyStatus(node, connectedSince, sentVersion, sentAt, ackedVersion, ackedAt, version, reason);
    }
}
