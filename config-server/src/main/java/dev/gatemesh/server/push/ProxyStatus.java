package dev.gatemesh.server.push;

import dev.gatemesh.api.snapshot.ProxyNode;
import java.time.Instant;

/**
 * One connected proxy as the control plane sees it; immutable, replaced on every change.
 *
 * @param sentVersion   the latest snapshot version handed to it
 * @param ackedVersion  the latest version it acknowledged
 * @param nackedVersion the latest version it refused, with {@code nackReason}
 * @param certificate   the certificate it presents now (from the handshake, then from each rotation it reports)
 */
public record ProxyStatus(ProxyNode node, Instant connectedSince, String sentVersion, Instant sentAt,
                          String ackedVersion, Instant ackedAt, String nackedVersion, String nackReason,
                          PeerCertificate certificate) {

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
        return new ProxyStatus(node, connectedSince, version, at, ackedVersion, ackedAt, nackedVersion, nackReason, certificate);
    }

    ProxyStatus acked(String version, Instant at) {
        return new ProxyStatus(node, connectedSince, sentVersion, sentAt, version, at, nackedVersion, nackReason, certificate);
    }

    ProxyStatus nacked(String version, String reason) {
        return new ProxyStatus(node, connectedSince, sentVersion, sentAt, ackedVersion, ackedAt, version, reason, certificate);
    }

    ProxyStatus certified(PeerCertificate presented) {
        return new ProxyStatus(node, connectedSince, sentVersion, sentAt, ackedVersion, ackedAt, nackedVersion, nackReason,
                presented);
    }
}
