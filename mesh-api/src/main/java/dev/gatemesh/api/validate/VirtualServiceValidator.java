package dev.gatemesh.api.validate;

import dev.gatemesh.api.host.Names;
import static dev.gatemesh.api.problem.FieldPath.field;
import static dev.gatemesh.api.problem.FieldPath.index;

import dev.gatemesh.api.model.VirtualService;
import dev.gatemesh.api.model.VirtualService.CorsPolicy;
import dev.gatemesh.api.model.VirtualService.Destination;
import dev.gatemesh.api.model.VirtualService.HeaderOperations;
import dev.gatemesh.api.model.VirtualService.Headers;
import dev.gatemesh.api.model.VirtualService.HttpFaultInjection;
import dev.gatemesh.api.model.VirtualService.HttpMatchRequest;
import dev.gatemesh.api.model.VirtualService.HttpRedirect;
import dev.gatemesh.api.model.VirtualService.HttpRetry;
import dev.gatemesh.api.model.VirtualService.HttpRoute;
import dev.gatemesh.api.model.VirtualService.HttpRouteDestination;
import dev.gatemesh.api.problem.ProblemCode;
import java.util.List;
import java.util.Set;

/** Checks one VirtualService on its own (references to other resources are the analyzer's). */
final class VirtualServiceValidator {

    /** Envoy's retry conditions that Istio passes through, plus HTTP status codes. */
    static final Set<String> RETRY_ON = Set.of("5xx", "gateway-error", "reset", "reset-before-request",
            "connect-failure", "envoy-ratelimited", "retriable-4xx", "refused-stream", "retriable-status-codes",
            "retriable-headers", "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal",
            "resource-exhausted", "unavailable");

    private VirtualServiceValidator() {
    }

    static void validate(VirtualService vs, Checks checks) {
        if (checks.required("spec.hosts", vs.hosts(), "at least one host")) {
            for (int i = 0; i < vs.hosts().size(); i++) {
                checks.host(index("spec.hosts", i), vs.hosts().get(i), true);
            }
        }
        boolean boundToMesh = vs.gateways().isEmpty() || vs.gateways().contains("mesh");
        if (boundToMesh && vs.hosts().contains("*")) {
            checks.problems().error(ProblemCode.INVALID_HOST, "spec.hosts",
                    "the host \"*\" is not allowed for the mesh (sidecars); bind the VirtualService to a gateway");
        }
        gatewayNames(checks, "spec.gateways", vs.gateways());
        checks.exportTo("spec.exportTo", vs.exportTo());
        checks.uniqueNames("spec.http", vs.http().stream().map(HttpRoute::name).toList(), "route name");
        for (int i = 0; i < vs.http().size(); i++) {
            route(checks, index("spec.http", i), vs.http().get(i));
        }
    }

    static void gatewayNames(Checks checks, String path, List<String> gateways) {
        for (int i = 0; i < gateways.size(); i++) {
            String gateway = gateways.get(i);
            String name = gateway.contains("/") ? gateway.substring(gateway.indexOf('/') + 1) : gateway;
            String namespace = gateway.contains("/") ? gateway.substring(0, gateway.indexOf('/')) : null;
            if (!Names.isDnsSubdomain(name) || (namespace != null && !Names.isDnsLabel(namespace))) {
                checks.problems().error(ProblemCode.INVALID_NAME, index(path, i), "\"" + gateway
                        + "\" is not a gateway reference: use \"mesh\", \"<name>\" or \"<namespace>/<name>\"");
            }
        }
    }

    private static void route(Checks checks, String path, HttpRoute route) {
        boolean hasRoute = !route.route().isEmpty();
        if (hasRoute == (route.redirect() != null)) {
            checks.problems().error(ProblemCode.ONE_OF, path, hasRoute
                    ? "a route has either route destinations or a redirect, not both"
                    : "a route needs route destinations or a redirect");
        }
        if (route.redirect() != null && route.rewrite() != null) {
            checks.problems().error(ProblemCode.ONE_OF, field(path, "rewrite"), "a redirect cannot be combined with a rewrite");
        }
        for (int i = 0; i < route.match().size(); i++) {
            match(checks, index(field(path, "match"), i), route.match().get(i));
        }
        destinations(checks, field(path, "route"), route.route());
        if (route.redirect() != null) {
            redirect(checks, field(path, "redirect"), route.redirect());
        }
        if (route.rewrite() != null && route.rewrite().uri() == null && route.rewrite().authority() == null) {
            checks.problems().error(ProblemCode.MISSING_FIELD, field(path, "rewrite"), "a rewrite needs uri or authority");
        }
        if (route.timeout() != null && !route.timeout().value().isZero()) {
            checks.duration(field(path, "timeout"), route.timeout());
        }
        if (route.retries() != null) {
            retries(checks, field(path, "retries"), route.retries());
        }
        if (route.fault() != null) {
            fault(checks, field(path, "fault"), route.fault());
        }
        if (route.mirror() != null) {
            destination(checks, field(path, "mirror"), route.mirror());
        } else if (route.mirrorPercentage() != null) {
            checks.problems().warn(ProblemCode.MISSING_FIELD, field(path, "mirrorPercentage"),
                    "mirrorPercentage has no effect without mirror");
        }
        checks.percentage(field(path, "mirrorPercentage"), route.mirrorPercentage());
        if (route.corsPolicy() != null) {
            cors(checks, field(path, "corsPolicy"), route.corsPolicy());
        }
        headers(checks, field(path, "headers"), route.headers());
    }

    private static void match(Checks checks, String path, HttpMatchRequest match) {
        checks.stringMatch(field(path, "uri"), match.uri(), false);
        checks.stringMatch(field(path, "scheme"), match.scheme(), false);
        checks.stringMatch(field(path, "method"), match.method(), false);
        if (match.method() != null) {
            checks.method(field(field(path, "method"), "exact"), match.method().exact());
        }
        checks.stringMatch(field(path, "authority"), match.authority(), false);
        checks.matchHeaderNames(field(path, "headers"), match.headers());
        match.headers().forEach((name, m) -> checks.stringMatch(field(field(path, "headers"), name), m, true));
        checks.matchHeaderNames(field(path, "withoutHeaders"), match.withoutHeaders());
        match.withoutHeaders().forEach((name, m) -> checks.stringMatch(field(field(path, "withoutHeaders"), name), m, true));
        match.queryParams().forEach((name, m) -> {
            String at = field(field(path, "queryParams"), name);
            checks.stringMatch(at, m, true);
            if (m.prefix() != null) {
                checks.problems().error(ProblemCode.ONE_OF, at, "query parameters match by exact or regex, not prefix");
            }
        });
        checks.port(field(path, "port"), match.port());
        checks.labels(field(path, "sourceLabels"), match.sourceLabels());
        if (match.sourceNamespace() != null && !Names.isDnsLabel(match.sourceNamespace())) {
            checks.problems().error(ProblemCode.INVALID_NAME, field(path, "sourceNamespace"),
                    "\"" + match.sourceNamespace() + "\" is not a namespace name");
        }
        gatewayNames(checks, field(path, "gateways"), match.gateways());
    }

    private static void destinations(Checks checks, String path, List<HttpRouteDestination> destinations) {
        int sum = 0;
        for (int i = 0; i < destinations.size(); i++) {
            String at = index(path, i);
            HttpRouteDestination destination = destinations.get(i);
            if (checks.required(field(at, "destination"), destination.destination(), "destination")) {
                destination(checks, field(at, "destination"), destination.destination());
            }
            Integer weight = destination.weight();
            if (weight != null && (weight < 0 || weight > 100)) {
                checks.problems().error(ProblemCode.INVALID_WEIGHT, field(at, "weight"),
                        "weight must be between 0 and 100 (got " + weight + ")");
            }
            sum += weight == null ? 0 : weight;
            headers(checks, field(at, "headers"), destination.headers());
        }
        if (destinations.size() > 1 && sum != 100) {
            checks.problems().error(ProblemCode.WEIGHTS_NOT_100, path,
                    "the weights of the " + destinations.size() + " destinations must sum to 100 (they sum to " + sum + ")");
        }
    }

    static void destination(Checks checks, String path, Destination destination) {
        if (checks.required(field(path, "host"), destination.host(), "destination host")) {
            checks.host(field(path, "host"), destination.host(), false);
        }
        if (destination.subset() != null && !Names.isDnsLabel(destination.subset())) {
            checks.problems().error(ProblemCode.INVALID_NAME, field(path, "subset"),
                    "\"" + destination.subset() + "\" is not a valid subset name");
        }
        if (destination.port() != null) {
            checks.port(field(field(path, "port"), "number"), destination.port().number());
        }
    }

    private static void redirect(Checks checks, String path, HttpRedirect redirect) {
        Integer code = redirect.redirectCode();
        if (code != null && (code < 300 || code > 399)) {
            checks.problems().error(ProblemCode.INVALID_STATUS_CODE, field(path, "redirectCode"),
                    "redirectCode must be between 300 and 399 (got " + code + ")");
        }
        checks.port(field(path, "port"), redirect.port());
        if (redirect.scheme() != null && !redirect.scheme().equals("http") && !redirect.scheme().equals("https")) {
            checks.problems().error(ProblemCode.INVALID_VALUE, field(path, "scheme"),
                    "scheme must be http or https (got \"" + redirect.scheme() + "\")");
        }
    }

    private static void retries(Checks checks, String path, HttpRetry retries) {
        checks.nonNegative(field(path, "attempts"), retries.attempts());
        checks.duration(field(path, "perTryTimeout"), retries.perTryTimeout());
        if (retries.retryOn() != null) {
            for (String condition : retries.retryOn().split(",")) {
                String trimmed = condition.trim();
                if (!RETRY_ON.contains(trimmed) && !trimmed.matches("[1-5]\\d\\d")) {
                    checks.problems().error(ProblemCode.INVALID_RETRY_ON, field(path, "retryOn"), "unknown retry condition \""
                            + trimmed + "\"; use HTTP status codes or " + String.join(", ", RETRY_ON.stream().sorted().toList()));
                }
            }
        }
    }

    private static void fault(Checks checks, String path, HttpFaultInjection fault) {
        if (fault.delay() == null && fault.abort() == null) {
            checks.problems().error(ProblemCode.MISSING_FIELD, path, "a fault needs a delay or an abort");
        }
        if (fault.delay() != null) {
            String at = field(path, "delay");
            if (checks.required(field(at, "fixedDelay"), fault.delay().fixedDelay(), "fixedDelay")) {
                checks.duration(field(at, "fixedDelay"), fault.delay().fixedDelay());
            }
            checks.percentage(field(at, "percentage"), fault.delay().percentage());
        }
        if (fault.abort() != null) {
            String at = field(path, "abort");
            Integer status = fault.abort().httpStatus();
            if (checks.required(field(at, "httpStatus"), status, "httpStatus") && (status < 200 || status > 599)) {
                checks.problems().error(ProblemCode.INVALID_STATUS_CODE, field(at, "httpStatus"),
                        "httpStatus must be between 200 and 599 (got " + status + ")");
            }
            checks.percentage(field(at, "percentage"), fault.abort().percentage());
        }
    }

    private static void cors(Checks checks, String path, CorsPolicy cors) {
        for (int i = 0; i < cors.allowOrigins().size(); i++) {
            checks.stringMatch(index(field(path, "allowOrigins"), i), cors.allowOrigins().get(i), false);
        }
        checks.methods(field(path, "allowMethods"), cors.allowMethods().stream().filter(m -> !m.equals("*")).toList());
        checks.headerNames(field(path, "allowHeaders"), cors.allowHeaders().stream().filter(h -> !h.equals("*")).toList());
        checks.headerNames(field(path, "exposeHeaders"), cors.exposeHeaders().stream().filter(h -> !h.equals("*")).toList());
        checks.duration(field(path, "maxAge"), cors.maxAge());
    }

    private static void headers(Checks checks, String path, Headers headers) {
        if (headers == null) {
            return;
        }
        operations(checks, field(path, "request"), headers.request());
        operations(checks, field(path, "response"), headers.response());
    }

    private static void operations(Checks checks, String path, HeaderOperations operations) {
        if (operations == null) {
            return;
        }
        checks.headerNames(field(path, "set"), operations.set().keySet());
        checks.headerNames(field(path, "add"), operations.add().keySet());
        for (int i = 0; i < operations.remove().size(); i++) {
            checks.headerName(index(field(path, "remove"), i), operations.remove().get(i));
        }
    }
}
