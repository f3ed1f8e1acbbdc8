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

    @IstioFields(unsupported = {"tunnel", "proxyProtocol", "retryBudget"})
    public record TrafficPolicy(LoadBalancerSettings loadBalancer, ConnectionPoolSettings connectionPool,
                                OutlierDetection outlierDetection, ClientTlsSettings tls,
                                List<PortTrafficPolicy> portLevelSettings) {
        public TrafficPolicy {
            portLevelSettings = Immutable.list(portLevelSettings);
        }

        /** A policy without port-level settings. */
        public TrafficPolicy(LoadBalancerSettings loadBalancer, ConnectionPoolSettings connectionPool,
                             OutlierDetection outlierDetection, ClientTlsSettings tls) {
            this(loadBalancer, connectionPool, outlierDetection, tls, List.of());
        }

        /** The settings for one service port: the port's own override the policy's, field by field. */
        public TrafficPolicy forPort(int port) {
            for (PortTrafficPolicy settings : portLevelSettings) {
                if (settings.port() != null && settings.port().number() != null && settings.port().number() == port) {
                    return new TrafficPolicy(
                            settings.loadBalancer() != null ? settings.loadBalancer() : loadBalancer,
                            settings.connectionPool() != null ? settings.connectionPool() : connectionPool,
                            settings.outlierDetection() != null ? settings.outlierDetection() : outlierDetection,
                            settings.tls() != null ? settings.tls() : tls, List.of());
                }
            }
            return portLevelSettings.isEmpty() ? this : new TrafficPolicy(loadBalancer, connectionPool, outlierDetection, tls);
        }
    }

    /** Istio's {@code TrafficPolicy.PortTrafficPolicy}: the policy for one port of the service. */
    public record PortTrafficPolicy(PortSelector port, LoadBalancerSettings loadBalancer,
                                    ConnectionPoolSettings connectionPool, OutlierDetection outlierDetection,
                                    ClientTlsSettings tls) {
    }

    public record PortSelector(Integer number) {
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
