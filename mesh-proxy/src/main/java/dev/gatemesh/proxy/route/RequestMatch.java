package dev.gatemesh.proxy.route;

import java.util.Map;

/**
 * One {@code HTTPMatchRequest}: every condition set must hold. Conditions about the calling workload
 * ({@code sourceLabels}, {@code sourceNamespace}) are settled when the table is built for a proxy, so
 * only request conditions remain here. An empty header match ({@code headers: {x-debug: {}}}) asks
 * only that the header is present.
 */
public record RequestMatch(String name, TextMatcher uri, TextMatcher scheme, TextMatcher method, TextMatcher authority,
                           Map<String, TextMatcher> headers, Map<String, TextMatcher> withoutHeaders,
                           Map<String, TextMatcher> queryParams, Integer port) {

    public RequestMatch {
        headers = Map.copyOf(headers);
        withoutHeaders = Map.copyOf(withoutHeaders);
        queryParams = Map.copyOf(queryParams);
    }

    public boolean matches(RequestView request) {
        if (port != null && port != request.port()) {
            return false;
        }
        if (uri != null && !uri.matches(request.path())) {
            return false;
        }
        if (method != null && !method.matches(request.method())) {
            return false;
        }
        if (scheme != null && !scheme.matches(request.scheme())) {
            return false;
        }
        if (authority != null && !authority.matches(request.authority())) {
            return false;
        }
        for (var header : headers.entrySet()) {
            String value = request.header(header.getKey());
            if (!header.getValue().matches(value)) {
                return false;
            }
        }
        for (var header : withoutHeaders.entrySet()) {
            String value = request.header(header.getKey());
            if (header.getValue().matches(value)) {
                return false;
            }
        }
        for (var param : queryParams.entrySet()) {
            String value = request.queryParam(param.getKey());
            if (!param.getValue().matches(value)) {
                return false;
            }
        }
        return true;
    }
}
