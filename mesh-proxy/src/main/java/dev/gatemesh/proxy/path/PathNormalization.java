package dev.gatemesh.proxy.path;

/**
 * Istio's {@code meshConfig.pathNormalization.normalization}: how much of a request's path is normalized before
 * routing, policy, telemetry and forwarding see it. Each option does what the one before it does, and more.
 */
public enum PathNormalization {

    /** Nothing is changed (a NUL, raw or {@code %00}, is still refused). Open to policy bypasses: Istio's CVE-2021-31920. */
    NONE,

    /**
     * RFC 3986: dot segments ({@code .}, {@code ..}, also percent-encoded) removed, percent-encoded unreserved characters
     * decoded, other percent-encodings upper-cased, backslashes taken as slashes. Istio's default.
     */
    BASE,

    /** BASE, then runs of slashes merged into one ({@code /a//b} is {@code /a/b}). */
    MERGE_SLASHES,

    /** Percent-encoded slashes and backslashes ({@code %2F}, {@code %5C}) decoded first, then MERGE_SLASHES. */
    DECODE_AND_MERGE_SLASHES;

    boolean decodesSlashes() {
        return this == DECODE_AND_MERGE_SLASHES;
    }

    boolean mergesSlashes() {
        return this == MERGE_SLASHES || this == DECODE_AND_MERGE_SLASHES;
    }
}
