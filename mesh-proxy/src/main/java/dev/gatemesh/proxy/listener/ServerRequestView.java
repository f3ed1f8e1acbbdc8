package dev.gatemesh.proxy.listener;

import dev.gatemesh.proxy.authn.RequestAuthenticator;
import dev.gatemesh.proxy.route.RequestView;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.netty.http.server.HttpServerRequest;

/**
 * A request on a listener as routing sees it. The target is the Host header with the path
 * (origin form), or the absolute URL (the app using the sidecar as its HTTP proxy).
 */
public final class ServerRequestView implements RequestView, RequestAuthenticator.TokenCarrier {

    private final HttpServerRequest request;
    private final String authority;
    private final String path;
    private final String rawQuery;
    private final int port;
    private Map<String, List<String>> query;

    public ServerRequestView(HttpServerRequest request) {
        this.request = request;
        String target = request.uri();
        String authority;
        String pathAndQuery;
        if (target.startsWith("http://") || target.startsWith("https://")) {
            URI uri = URI.create(target);
            authority = uri.getRawAuthority();
            pathAndQuery = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        } else {
            authority = request.requestHeaders().get(HttpHeaderNames.HOST, "");
            pathAndQuery = target.isEmpty() ? "/" : target;
        }
        int question = pathAndQuery.indexOf('?');
        this.path = question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
        this.rawQuery = question < 0 ? null : pathAndQuery.substring(question + 1);
        this.authority = authority;
        this.port = portOf(authority);
    }

    private static int portOf(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon > 0 && authority.indexOf(']') < colon) {
            try {
                return Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                return 80;
            }
        }
        return 80;
    }

    /** The path and query to send upstream. */
    public String pathAndQuery() {
        return rawQuery == null ? path : path + "?" + rawQuery;
    }

    public String rawQuery() {
        return rawQuery;
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String scheme() {
        return request.scheme();
    }

    @Override
    public String authority() {
        return authority;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String header(String name) {
        return request.requestHeaders().get(name);
    }

    @Override
    public String queryParam(String name) {
        if (rawQuery == null) {
            return null;
        }
        if (query == null) {
            query = new QueryStringDecoder("?" + rawQuery).parameters();
        }
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public String cookie(String name) {
        Set<Cookie> cookies = request.allCookies().get(name) == null ? null
                : new java.util.HashSet<>(request.allCookies().get(name));
        return cookies == null || cookies.isEmpty() ? null : cookies.iterator().next().value();
    }

    @Override
    public String sourceAddress() {
        InetSocketAddress remote = request.remoteAddress();
        return remote == null ? null : remote.getAddress().getHostAddress();
    }
}
