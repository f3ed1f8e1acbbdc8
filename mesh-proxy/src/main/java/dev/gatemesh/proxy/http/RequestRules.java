package dev.gatemesh.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Locale;

/**
 * RFC 9112's rules for a request line and its Host, checked on what Netty decoded and before any routing: the
 * version is HTTP/1.0 or HTTP/1.1 (another major version: 505, as RFC 9110 says; HTTP/1.2 and up: 400); the target
 * is origin-form ({@code /path?query}) or absolute-form ({@code http://authority/path}), authority-form only for CONNECT, never asterisk-form (a proxy listener has no use
 * for {@code OPTIONS *}); no control character, space, non-ASCII byte, fragment or broken percent-encoding in it;
 * exactly one well-formed Host on HTTP/1.1 (at most one on HTTP/1.0). For absolute-form the target's authority wins
 * over Host (RFC 9112 section 3.2.2): Host is replaced by it, so that every later step sees one authority.
 */
final class RequestRules {

    private static final String UNSUPPORTED_VERSION = "HTTP version not supported: only HTTP/1.0 and HTTP/1.1 are accepted";

    private RequestRules() {
    }

    /** The refusal for {@code request}, or null when it may proceed; may rewrite its target's scheme and its Host. */
    static Refusal check(HttpRequest request, ConnectRequests connect) {
        HttpVersion version = request.protocolVersion();
        if (version.majorVersion() != 1) {
            return new Refusal(505, UNSUPPORTED_VERSION);
        }
        if (!"HTTP".equals(version.protocolName()) || version.minorVersion() > 1) {
            return Refusal.badRequest(UNSUPPORTED_VERSION);
        }
        String target = request.uri();
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            return Refusal.badRequest("more than one Host header");
        }
        if (hosts.isEmpty() && version.minorVersion() == 1) {
            return Refusal.badRequest("missing Host header (required in HTTP/1.1)");
        }
        if (!hosts.isEmpty() && !Authority.isValid(hosts.get(0))) {
            return Refusal.badRequest("invalid Host header: expected host or host:port");
        }
        if (request.method().equals(HttpMethod.CONNECT)) {
            if (!Authority.isValid(target) || Authority.port(target) < 0) {
                return Refusal.badRequest("invalid CONNECT target: expected host:port");
            }
            return connect == ConnectRequests.REFUSE
                    ? new Refusal(403, "CONNECT refused: this listener forwards HTTP requests and never opens tunnels")
                    : null;
        }
        String problem = TargetCharacters.problem(target);
        if (problem != null) {
            return Refusal.badRequest(problem);
        }
        if (target.startsWith("/")) {
            return null;
        }
        if ("*".equals(target)) {
            return Refusal.badRequest("asterisk-form request target (*) refused: send a path starting with /");
        }
        String lower = target.toLowerCase(Locale.ROOT);
        for (String scheme : List.of("http://", "https://")) {
            if (lower.startsWith(scheme)) {
                return absolute(request, scheme, target.substring(scheme.length()));
            }
        }
        return Refusal.badRequest("invalid request target: expected a path starting with / or an absolute http(s) URL");
    }

    private static Refusal absolute(HttpRequest request, String scheme, String rest) {
        int end = rest.indexOf('/');
        int query = rest.indexOf('?');
        if (query >= 0 && (end < 0 || query < end)) {
            end = query;
        }
        String authority = end < 0 ? rest : rest.substring(0, end);
        if (authority.indexOf('@') >= 0) {
            return Refusal.badRequest("user information (user@) in the request target refused");
        }
        if (!Authority.isValid(authority)) {
            return Refusal.badRequest("invalid authority in the absolute request target: expected host or host:port");
        }
        String path = end < 0 ? "/" : rest.substring(end);
        request.setUri(scheme + authority + (path.startsWith("?") ? "/" + path : path));
        request.headers().set(HttpHeaderNames.HOST, authority);
        return null;
    }
}
