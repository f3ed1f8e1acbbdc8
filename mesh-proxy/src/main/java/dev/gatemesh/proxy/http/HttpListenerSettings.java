package dev.gatemesh.proxy.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How strictly, and for how long, every HTTP listener of a proxy (sidecar outbound and inbound, gateway ports) reads
 * a request before any routing sees it.
 *
 * @param requestHeadersTimeout the longest a client may take to send a request's whole header section, counted from
 *                              its first byte (like Envoy's {@code request_headers_timeout}); slower senders get 408
 *                              and are disconnected
 * @param idleTimeout           how long a keep-alive connection may wait for its next request (Envoy's HTTP
 *                              {@code idle_timeout}, 1 h by default)
 * @param maxInitialLineLength  the longest request line accepted (longer: 414)
 * @param maxHeaderSize         the largest header section accepted (larger: 431)
 */
public record HttpListenerSettings(Duration requestHeadersTimeout, Duration idleTimeout, int maxInitialLineLength,
                                   int maxHeaderSize) {

    /** Netty's request-line and header-size limits; 10 s for the headers, Envoy's 1 h for an idle connection. */
    public static final HttpListenerSettings DEFAULTS = new HttpListenerSettings(Duration.ofSeconds(10), Duration.ofHours(1),
            4096, 8192);

    public HttpListenerSettings {
        Objects.requireNonNull(requestHeadersTimeout, "requestHeadersTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (requestHeadersTimeout.isNegative() || requestHeadersTimeout.isZero()) {
            throw new IllegalArgumentException("requestHeadersTimeout must be positive (got " + requestHeadersTimeout + ")");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive (got " + idleTimeout + ")");
        }
        if (maxInitialLineLength < 64 || maxHeaderSize < 64) {
            throw new IllegalArgumentException("request line and header limits must be at least 64 bytes (got "
                    + maxInitialLineLength + " and " + maxHeaderSize + ")");
        }
    }

    /** The same limits with other timeouts. */
    public HttpListenerSettings withTimeouts(Duration requestHeaders, Duration idle) {
        return new HttpListenerSettings(requestHeaders, idle, maxInitialLineLength, maxHeaderSize);
    }
}
