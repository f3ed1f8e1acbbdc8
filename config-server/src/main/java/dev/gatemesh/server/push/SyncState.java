package dev.gatemesh.server.push;

/** Where a proxy stands with its configuration. */
public enum SyncState {
    /** It acknowledged the latest snapshot sent to it. */
    SYNCED,
    /** The latest snapshot was sent and not yet answered. */
    STALE,
    /** It refused the latest snapshot; it keeps running its previous one. */
    NACKED
}
