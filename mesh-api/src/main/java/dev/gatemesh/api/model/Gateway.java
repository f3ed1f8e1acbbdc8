package dev.gatemesh.api.model;

import java.util.List;
import java.util.Map;

/** Istio's Gateway: the ports, hosts and TLS a gateway workload (chosen by {@code selector}) serves. */
public record Gateway(Map<String, String> selector, List<Server> servers) {

    public Gateway {
        selector = Immutable.map(selector);
        servers = Immutable.list(servers);
    }

    @IstioFields(unsupported = {"bind", "defaultEndpoint"})
    public record Server(Port port, List<String> hosts, ServerTlsSettings tls, String name) {
        public Server {
            hosts = Immutable.list(hosts);
        }
    }

    @IstioFields(unsupported = {"targetPort"})
    public record Port(Integer number, String protocol, String name) {
    }

    @IstioFields(unsupported = {"serverCertificate", "privateKey", "caCertificates", "caCrl", "credentialNames",
            "tlsCertificates", "subjectAltNames", "verifyCertificateSpki", "verifyCertificateHash", "cipherSuites"})
    public record ServerTlsSettings(Boolean httpsRedirect, ServerTlsMode mode, String credentialName,
                                    TlsProtocol minProtocolVersion, TlsProtocol maxProtocolVersion) {
    }

    public enum ServerTlsMode { PASSTHROUGH, SIMPLE, MUTUAL, AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL }

    public enum TlsProtocol { TLS_AUTO, TLSV1_0, TLSV1_1, TLSV1_2, TLSV1_3 }
}
