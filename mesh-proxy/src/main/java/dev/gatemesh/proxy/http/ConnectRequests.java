package dev.gatemesh.proxy.http;

/**
 * Who answers a well-formed {@code CONNECT host:port}: no listener opens tunnels, and all answer 403. The sidecar's
 * listeners refuse it while parsing; a gateway lets its request handler refuse it, so that the refusal is audited.
 */
public enum ConnectRequests {
    /** Answered 403 while parsing, before any handler sees it. */
    REFUSE,
    /** Passed on (its authority-form target checked) to a handler that answers 403 itself. */
    REFUSED_BY_HANDLER
}
