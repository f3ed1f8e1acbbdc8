package dev.gatemesh.api.validate;

import dev.gatemesh.api.host.Names;
import static dev.gatemesh.api.problem.FieldPath.field;
import static dev.gatemesh.api.problem.FieldPath.index;

import dev.gatemesh.api.model.DestinationRule;
import dev.gatemesh.api.model.DestinationRule.ClientTlsMode;
import dev.gatemesh.api.model.DestinationRule.ClientTlsSettings;
import dev.gatemesh.api.model.DestinationRule.ConnectionPoolSettings;
import dev.gatemesh.api.model.DestinationRule.LoadBalancerSettings;
import dev.gatemesh.api.model.DestinationRule.OutlierDetection;
import dev.gatemesh.api.model.DestinationRule.SimpleLb;
import dev.gatemesh.api.model.DestinationRule.Subset;
import dev.gatemesh.api.model.DestinationRule.TrafficPolicy;
import dev.gatemesh.api.problem.ProblemCode;
import java.util.List;

/** Checks one DestinationRule: its host, subsets and traffic policies. */
final class DestinationRuleValidator {

    private DestinationRuleValidator() {
    }

    static void validate(DestinationRule rule, Checks checks) {
        if (checks.required("spec.host", rule.host(), "host")) {
            checks.host("spec.host", rule.host(), true);
        }
        trafficPolicy(checks, "spec.trafficPolicy", rule.trafficPolicy());
        checks.uniqueNames("spec.subsets", rule.subsets().stream().map(Subset::name).toList(), "subset name");
        for (int i = 0; i < rule.subsets().size(); i++) {
            String path = index("spec.subsets", i);
            Subset subset = rule.subsets().get(i);
            if (checks.required(field(path, "name"), subset.name(), "subset name") && !Names.isDnsLabel(subset.name())) {
                checks.problems().error(ProblemCode.INVALID_NAME, field(path, "name"), "\"" + subset.name()
                        + "\" is not a valid subset name (lower-case letters, digits and '-')");
            }
            checks.labels(field(path, "labels"), subset.labels());
            trafficPolicy(checks, field(path, "trafficPolicy"), subset.trafficPolicy());
        }
        checks.exportTo("spec.exportTo", rule.exportTo());
    }

    private static void trafficPolicy(Checks checks, String path, TrafficPolicy policy) {
        if (policy == null) {
            return;
        }
        loadBalancer(checks, field(path, "loadBalancer"), policy.loadBalancer());
        connectionPool(checks, field(path, "connectionPool"), policy.connectionPool());
        outlierDetection(checks, field(path, "outlierDetection"), policy.outlierDetection());
        tls(checks, field(path, "tls"), policy.tls());
        List<Integer> ports = new java.util.ArrayList<>();
        for (int i = 0; i < policy.portLevelSettings().size(); i++) {
            String at = index(field(path, "portLevelSettings"), i);
            DestinationRule.PortTrafficPolicy settings = policy.portLevelSettings().get(i);
            Integer number = settings.port() == null ? null : settings.port().number();
            if (checks.required(field(field(at, "port"), "number"), number, "the port number the settings are for")) {
                checks.port(field(field(at, "port"), "number"), number);
                if (ports.contains(number)) {
                    checks.problems().error(ProblemCode.DUPLICATE_NAME, field(field(at, "port"), "number"),
                            "port " + number + " has settings twice; give each port one entry");
                }
                ports.add(number);
            }
            loadBalancer(checks, field(at, "loadBalancer"), settings.loadBalancer());
            connectionPool(checks, field(at, "connectionPool"), settings.connectionPool());
            outlierDetection(checks, field(at, "outlierDetection"), settings.outlierDetection());
            tls(checks, field(at, "tls"), settings.tls());
        }
    }

    private static void loadBalancer(Checks checks, String path, LoadBalancerSettings lb) {
        if (lb == null) {
            return;
        }
        if (lb.simple() != null && lb.consistentHash() != null) {
            checks.problems().error(ProblemCode.ONE_OF, path, "set either simple or consistentHash, not both");
        }
        if (lb.simple() == SimpleLb.PASSTHROUGH) {
            checks.problems().warn(ProblemCode.UNSUPPORTED_FIELD, field(path, "simple"),
                    "PASSTHROUGH load balancing is not supported by Gatemesh; ROUND_ROBIN is used");
        } else if (lb.simple() == SimpleLb.LEAST_CONN) {
            checks.problems().warn(ProblemCode.INVALID_ENUM, field(path, "simple"),
                    "LEAST_CONN is deprecated in Istio; it is treated as LEAST_REQUEST");
        }
        var hash = lb.consistentHash();
        if (hash != null) {
            String at = field(path, "consistentHash");
            if (hash.setCount() != 1) {
                checks.problems().error(ProblemCode.ONE_OF, at, hash.setCount() == 0
                        ? "consistentHash needs one of httpHeaderName, httpCookie, useSourceIp, httpQueryParameterName"
                        : "consistentHash takes only one of httpHeaderName, httpCookie, useSourceIp, httpQueryParameterName");
            }
            if (hash.httpHeaderName() != null) {
                checks.headerName(field(at, "httpHeaderName"), hash.httpHeaderName());
            }
            if (hash.httpCookie() != null) {
                checks.required(field(field(at, "httpCookie"), "name"), hash.httpCookie().name(), "cookie name");
                if (hash.httpCookie().ttl() != null && !hash.httpCookie().ttl().value().isZero()) {
                    checks.duration(field(field(at, "httpCookie"), "ttl"), hash.httpCookie().ttl());
                }
            }
        }
    }

    private static void connectionPool(Checks checks, String path, ConnectionPoolSettings pool) {
        if (pool == null) {
            return;
        }
        if (pool.tcp() != null) {
            String at = field(path, "tcp");
            checks.positive(field(at, "maxConnections"), pool.tcp().maxConnections());
            checks.duration(field(at, "connectTimeout"), pool.tcp().connectTimeout());
            checks.duration(field(at, "idleTimeout"), pool.tcp().idleTimeout());
        }
        if (pool.http() != null) {
            String at = field(path, "http");
            checks.nonNegative(field(at, "http1MaxPendingRequests"), pool.http().http1MaxPendingRequests());
            checks.nonNegative(field(at, "http2MaxRequests"), pool.http().http2MaxRequests());
            checks.nonNegative(field(at, "maxRequestsPerConnection"), pool.http().maxRequestsPerConnection());
            checks.nonNegative(field(at, "maxRetries"), pool.http().maxRetries());
            checks.duration(field(at, "idleTimeout"), pool.http().idleTimeout());
        }
    }

    private static void outlierDetection(Checks checks, String path, OutlierDetection outlier) {
        if (outlier == null) {
            return;
        }
        checks.nonNegative(field(path, "consecutive5xxErrors"), outlier.consecutive5xxErrors());
        checks.nonNegative(field(path, "consecutiveGatewayErrors"), outlier.consecutiveGatewayErrors());
        checks.duration(field(path, "interval"), outlier.interval());
        checks.duration(field(path, "baseEjectionTime"), outlier.baseEjectionTime());
        checks.percentInt(field(path, "maxEjectionPercent"), outlier.maxEjectionPercent());
        checks.percentInt(field(path, "minHealthPercent"), outlier.minHealthPercent());
    }

    private static void tls(Checks checks, String path, ClientTlsSettings tls) {
        if (tls == null) {
            return;
        }
        if (tls.mode() == ClientTlsMode.MUTUAL && tls.credentialName() == null) {
            checks.problems().error(ProblemCode.INVALID_TLS, field(path, "credentialName"),
                    "MUTUAL TLS needs credentialName (the Secret with the client certificate and key)");
        }
        if (tls.mode() == ClientTlsMode.ISTIO_MUTUAL && (tls.credentialName() != null || tls.caCertificates() != null)) {
            checks.problems().error(ProblemCode.INVALID_TLS, path,
                    "ISTIO_MUTUAL uses the mesh's own certificates; remove credentialName and caCertificates");
        }
        if (tls.sni() != null) {
            checks.host(field(path, "sni"), tls.sni(), false);
        }
    }
}
