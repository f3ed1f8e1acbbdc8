package dev.gatemesh.proxy.inbound;

import java.util.function.Function;

/**
 * What authorization reads of an inbound request.
 *
 * @param peerPrincipal the caller's SPIFFE ID without the {@code spiffe://} scheme
 *                      ({@code cluster.local/ns/bookinfo/sa/productpage}), or null over plain text
 * @param peerNamespace the caller's namespace (from its SPIFFE ID), or null
 * @param sourceIp      the caller's address
 * @param port          the application port the request is for
 * @param headers       a header's first value by case-insensitive name, null when absent
 * @param requestPrincipal the end user's {@code <iss>/<sub>} from a verified JWT, or null
 * @param claims        that JWT's claims (empty without one)
 */
public record InboundRequest(String method, String path, String host, int port, Function<String, String> headers,
                             String peerPrincipal, String peerNamespace, String sourceIp, String requestPrincipal,
                             java.util.Map<String, Object> claims) {

    public InboundRequest {
        claims = claims == null ? java.util.Map.of() : claims;
    }

    /** The same request with another path. */
    public InboundRequest withPath(String otherPath) {
        return new InboundRequest(method, otherPath, host, port, headers, peerPrincipal, peerNamespace, sourceIp,
                requestPrincipal, claims);
    }

    /** A request without end-user authentication. */
    public InboundRequest(String method, String path, String host, int port, Function<String, String> headers,
                          String peerPrincipal, String peerNamespace, String sourceIp) {
        this(method, path, host, port, headers, peerPrincipal, peerNamespace, sourceIp, null, java.util.Map.of());
    }
}
