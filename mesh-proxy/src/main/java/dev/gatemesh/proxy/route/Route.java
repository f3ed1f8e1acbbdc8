package dev.gatemesh.proxy.route;

import java.time.Duration;
import java.util.List;

/**
 * One {@code HTTPRoute} of a VirtualService (or the default route of a service): it applies when any
 * of its matches holds (no matches: always).
 *
 * @param origin   where it comes from, for logs and errors: {@code VirtualService bookinfo/reviews}, or
 *                 {@code default route}
 * @param timeout  the request timeout, or null for none
 * @param retries  the retry policy, or null for the default
 * @param fault    the faults to inject, or null for none
 * @param mirror   where a share of the requests is copied to, or null for none
 */
public record Route(String name, String origin, List<RequestMatch> matches, RouteAction action, HeaderOps requestHeaders,
                    HeaderOps responseHeaders, Duration timeout, RetryPolicy retries, Fault fault,
                    Mirror mirror) {

    public Route {
        matches = List.copyOf(matches);
    }

    public boolean matches(RequestView request) {
        if (matches.isEmpty()) {
            return true;
        }
        for (RequestMatch match : matches) {
            if (match.matches(request)) {
                return true;
            }
        }
        return false;
    }

    /** @param perTryTimeout null for none */
    public record RetryPolicy(int attempts, Duration perTryTimeout, List<String> retryOn) {
        public RetryPolicy {
            retryOn = List.copyOf(retryOn);
        }
    }
}
