package dev.gatemesh.api.model;

import java.util.List;
import java.util.Map;

/** Istio's DestinationRule: subsets of a service and the policies for traffic to them. */
@IstioFields(unsupported = {"workloadSelector"})
public record DestinationRule(String host, TrafficPolicy trafficPolicy, List<Subset> subsets, List<String> exportTo) {

    public DestinationRule {
        subsets = Immutable.list(subsets);
        exportTo = Immutable.list(exportTo);
    }

    public record Subset(String name, Map<String, String> labels, TrafficPolicy trafficPolicy) {
        public Subset {
            labels = Immutable.map(labels);
        }
    }

    @IstioFields(unsupported = {"portLevelSettings", "tunnel", "proxyProtocol", "retryBudget"})
    public record TrafficPolicy(LoadBalancerSettings loadBalancer, ConnectionPoolSettings connectionPool,
                                OutlierDetection outlierDetection, ClientTlsSettings tls) {
    }

    @IstioFields(unsupported = {"localityLbSetting", "warmupDurationSecs", "warmup"})
    public record LoadBalancerSettings(SimpleLb simple, ConsistentHashLb consistentHash) {
    }

    public enum SimpleLb { UNSPECIFIED, LEAST_CONN, RANDOM, PASSTHROUGH, ROUND_ROBIN, LEAST_REQUEST }

    @IstioFields(unsupported = {"ringHash", "maglev", "minimumRingSize"})
    public record ConsistentHashLb(String httpHeaderName, HttpCookie httpCookie, Boolean useSourceIp,
                                   String httpQueryParameterName) {
        public int setCount() {
            return (httpHeaderName != null ? 1 : 0) + (httpCookie != null ? 1 : 0)
                    + (Boolean.TRUE.equals(useSourceIp) ? 1 : 0) + (httpQueryParameterName != null ? 1 : 0);
        }
    }

    @IstioFields(unsupported = {"attributes"})
    public record HttpCookie(String name, String path, IstioDuration ttl) {
    }

    public record ConnectionPoolSettings(Tcp tcp, Http http) {

        @IstioFields(unsupported = {"tcpKeepalive", "maxConnectionDuration"})
        public record Tcp(Integer maxConnections, IstioDuration connectTimeout, IstioDuration idleTimeout) {
        }

        @IstioFields(unsupported = {"h2UpgradePolicy", "useClientProtocol", "maxConcurrentStreams"})
        public record Http(Integer http1MaxPendingRequests, Integer http2MaxRequests, Integer maxRequestsPerConnection,
                           Integer maxRetries, IstioDuration idleTimeout) {
        }
    }

    @IstioFields(unsupported = {"splitExternalLocalOriginErrors", "consecutiveLocalOriginFailures", "consecutiveErrors"})
    public record OutlierDetection(Integer consecutive5xxErrors, Integer consecutiveGatewayErrors, IstioDuration interval,
                                   IstioDuration baseEjectionTime, Integer maxEjectionPercent, Integer minHealthPercent) {
    }

    @IstioFields(unsupported = {"clientCertificate", "privateKey", "caCrl"})
    public record ClientTlsSettings(ClientTlsMode mode, String credentialName, String sni, List<String> subjectAltNames,
                                    String caCertificates, Boolean insecureSkipVerify) {
        public ClientTlsSettings {
            subjectAltNames = Immutable.list(subjectAltNames);
        }
    }

    public enum ClientTlsMode { DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL }
}
