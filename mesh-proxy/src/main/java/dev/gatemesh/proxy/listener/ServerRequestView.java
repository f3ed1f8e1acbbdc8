package dev.gatemesh.proxy.listener;

import dev.gatemesh.proxy.authn.RequestAuthenticator;
import dev.gatemesh.proxy.path.PathNormalization;
import dev.gatemesh.proxy.path.PolicyPath;
import dev.gatemesh.proxy.path.RequestTarget;
import dev.gatemesh.proxy.route.RequestView;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.netty.http.server.HttpServerRequest;

/**
 * A request on a listener as routing, policy, telemetry and forwarding see it. The target is the Host header with
 * the path (origin form), or the absolute URL (the app using the sidecar as its HTTP proxy). The path is normalized
 * once, here, as the mesh's {@link PathNormalization} says, and that normalized path is what every step sees and what
 * is forwarded; a target that cannot be read or normalized leaves a {@link #rejection()} that the listener answers
 * with 400 before anything else happens.
 */
public final class ServerRequestView implements RequestView, RequestAuthenticator.TokenCarrier {

    private final HttpServerRequest request;
    private final PathNormalization normalization;
    private String authority = "";
    private String path = "/";
    private String rawQuery;
    private int port = 80;
    private String rejection;
    private List<String> otherReadings = List.of();
    private Set<String> hiddenQueryParams = Set.of();
    /** Istio's default token parameter: its value is never logged, whichever proxy logs the request. */
    private static final Set<String> ALWAYS_UNLOGGED = Set.of("access_token");
    private static final String REDACTED = "REDACTED";
    private Set<String> unloggedQueryParams = ALWAYS_UNLOGGED;
    private Map<String, List<String>> query;

    public ServerRequestView(HttpServerRequest request, PathNormalization normalization) {
        this.request = request;
        this.normalization = normalization;
        try {
            RequestTarget target = RequestTarget.parse(request.uri());
            String authority = target.authority();
            if (authority == null) {
                authority = request.requestHeaders().get(HttpHeaderNames.HOST, "");
                RequestTarget.checkAuthority(authority, "the Host header");
            }
            this.authority = authority;
            this.port = portOf(authority);
            this.rawQuery = target.query();
            PolicyPath normalized = PolicyPath.of(target.path(), normalization);
            if (normalized.rejection() != null) {
                rejection = normalized.rejection();
            } else {
                path = normalized.path();
                otherReadings = normalized.otherReadings();
            }
        } catch (RequestTarget.Invalid invalid) {
            rejection = invalid.getMessage();
        }
    }

    /** Why the request is refused (400) before it is routed, or null when it may go on. */
    public String rejection() {
        return rejection;
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

    /** The path and query to send upstream: the normalized path, the query without the parameters taken out. */
    public String pathAndQuery() {
        String query = visibleQuery();
        return query == null ? path : path + "?" + query;
    }

    /** The query as forwarded (raw), or null. */
    public String rawQuery() {
        return visibleQuery();
    }

    /**
     * Takes query parameters out of what is forwarded and logged: end-user tokens that are not to be passed on, and
     * that no access log may show.
     */
    public void hideQueryParams(Set<String> names) {
        if (!names.isEmpty()) {
            this.hiddenQueryParams = Set.copyOf(names);
        }
    }

    /**
     * Keeps the values of query parameters (the tokens this proxy's RequestAuthentication reads) out of the access log;
     * {@code access_token}, Istio's default, always is.
     */
    public void keepQueryParamsOutOfLog(Set<String> names) {
        if (!names.isEmpty()) {
            Set<String> all = new java.util.HashSet<>(names);
            all.addAll(ALWAYS_UNLOGGED);
            this.unloggedQueryParams = Set.copyOf(all);
        }
    }

    /** The path and query for the access log: as forwarded, with the values of token parameters redacted. */
    public String loggedPathAndQuery() {
        String query = rewritten(visibleQuery(), unloggedQueryParams, REDACTED);
        return query == null ? path : path + "?" + query;
    }

    private String visibleQuery() {
        return rewritten(rawQuery, hiddenQueryParams, null);
    }

    /**
     * The query with the parameters {@code names} removed ({@code value} null) or given {@code value}. Parameters are
     * separated by {@code &} or {@code ;}, as the parameter parser reads them, so no token hides behind a {@code ;}.
     */
    private static String rewritten(String query, Set<String> names, String value) {
        if (query == null || names.isEmpty() || !mayContain(query, names)) {
            return query;
        }
        StringBuilder kept = new StringBuilder(query.length());
        int start = 0;
        while (start <= query.length()) {
            int end = start;
            while (end < query.length() && query.charAt(end) != '&' && query.charAt(end) != ';') {
                end++;
            }
            String pair = query.substring(start, end);
            int equals = pair.indexOf('=');
            String name = QueryStringDecoder.decodeComponent(equals < 0 ? pair : pair.substring(0, equals));
            if (!names.contains(name)) {
                kept.append(kept.isEmpty() ? "" : "&").append(pair);
            } else if (value != null) {
                kept.append(kept.isEmpty() ? "" : "&").append(pair, 0, equals < 0 ? pair.length() : equals).append('=')
                        .append(value);
            }
            start = end + 1;
        }
        return kept.isEmpty() ? null : kept.toString();
    }

    /** A cheap first look: a parameter whose name is not in the text (plain or encoded) cannot be there. */
    private static boolean mayContain(String query, Set<String> names) {
        if (query.indexOf('%') >= 0 || query.indexOf('+') >= 0) {
            return true;
        }
        for (String name : names) {
            if (query.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The other ways apps may read the path (see {@link PolicyPath}): a policy must hold for each. Empty when there is
     * one reading (and always under NONE, which is documented as open to such bypasses).
     */
    public List<String> otherReadings() {
        return otherReadings;
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

    /** Every value of a header, in order. */
    public List<String> headers(String name) {
        return request.requestHeaders().getAll(name);
    }

    @Override
    public String queryParam(String name) {
        List<String> values = queryParams(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** Every value of a query parameter, in order. */
    public List<String> queryParams(String name) {
        if (rawQuery == null) {
            return List.of();
        }
        if (query == null) {
            // Every parameter (no 1,024 cap that would hide a second token), with ';' a separator as '&' is.
            query = new QueryStringDecoder("?" + rawQuery, StandardCharsets.UTF_8, true, Integer.MAX_VALUE).parameters();
        }
        List<String> values = query.get(name);
        return values == null ? List.of() : values;
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
