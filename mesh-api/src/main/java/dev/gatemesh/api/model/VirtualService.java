package dev.gatemesh.api.model;

import java.util.List;
import java.util.Map;

/** Istio's VirtualService (networking.istio.io): how requests for a set of hosts are routed. */
@IstioFields(unsupported = {"tls", "tcp"})
public record VirtualService(List<String> hosts, List<String> gateways, List<HttpRoute> http, List<String> exportTo) {

    public VirtualService {
        hosts = Immutable.list(hosts);
        gateways = Immutable.list(gateways);
        http = Immutable.list(http);
        exportTo = Immutable.list(exportTo);
    }

    @IstioFields(unsupported = {"directResponse", "delegate", "mirrors", "mirrorPercent", "mirror_percent"})
    public record HttpRoute(String name, List<HttpMatchRequest> match, List<HttpRouteDestination> route,
                            HttpRedirect redirect, HttpRewrite rewrite, IstioDuration timeout, HttpRetry retries,
                            HttpFaultInjection fault, Destination mirror, Percent mirrorPercentage,
                            CorsPolicy corsPolicy, Headers headers) {
        public HttpRoute {
            match = Immutable.list(match);
            route = Immutable.list(route);
        }
    }

    @IstioFields(unsupported = {"statPrefix"})
    public record HttpMatchRequest(String name, StringMatch uri, StringMatch scheme, StringMatch method,
                                   StringMatch authority, Map<String, StringMatch> headers,
                                   Map<String, StringMatch> queryParams, Map<String, StringMatch> withoutHeaders,
                                   Boolean ignoreUriCase, Integer port, Map<String, String> sourceLabels,
                                   String sourceNamespace, List<String> gateways) {
        public HttpMatchRequest {
            headers = Immutable.map(headers);
            queryParams = Immutable.map(queryParams);
            withoutHeaders = Immutable.map(withoutHeaders);
            sourceLabels = Immutable.map(sourceLabels);
            gateways = Immutable.list(gateways);
        }
    }

    public record HttpRouteDestination(Destination destination, Integer weight, Headers headers) {
    }

    public record Destination(String host, String subset, PortSelector port) {
    }

    public record PortSelector(Integer number) {
    }

    public record Headers(HeaderOperations request, HeaderOperations response) {
    }

    public record HeaderOperations(Map<String, String> set, Map<String, String> add, List<String> remove) {
        public HeaderOperations {
            set = Immutable.map(set);
            add = Immutable.map(add);
            remove = Immutable.list(remove);
        }
    }

    @IstioFields(unsupported = {"derivePort"})
    public record HttpRedirect(String uri, String authority, Integer port, String scheme, Integer redirectCode) {
    }

    @IstioFields(unsupported = {"uriRegexRewrite"})
    public record HttpRewrite(String uri, String authority) {
    }

    @IstioFields(unsupported = {"retryRemoteLocalities", "retryIgnorePreviousHosts", "backoff"})
    public record HttpRetry(Integer attempts, IstioDuration perTryTimeout, String retryOn) {
    }

    public record HttpFaultInjection(Delay delay, Abort abort) {

        @IstioFields(unsupported = {"exponentialDelay", "percent"})
        public record Delay(IstioDuration fixedDelay, Percent percentage) {
        }

        @IstioFields(unsupported = {"grpcStatus", "http2Error", "percent"})
        public record Abort(Integer httpStatus, Percent percentage) {
        }
    }

    @IstioFields(unsupported = {"allowOrigin", "unmatchedPreflights"})
    public record CorsPolicy(List<StringMatch> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
                             List<String> exposeHeaders, IstioDuration maxAge, Boolean allowCredentials) {
        public CorsPolicy {
            allowOrigins = Immutable.list(allowOrigins);
            allowMethods = Immutable.list(allowMethods);
            allowHeaders = Immutable.list(allowHeaders);
            exposeHeaders = Immutable.list(exposeHeaders);
        }
    }
}
