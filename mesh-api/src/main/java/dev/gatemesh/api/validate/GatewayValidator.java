package dev.gatemesh.api.validate;

import dev.gatemesh.api.host.Names;
import static dev.gatemesh.api.problem.FieldPath.field;
import static dev.gatemesh.api.problem.FieldPath.index;

import dev.gatemesh.api.host.HostNames;
import dev.gatemesh.api.model.Gateway;
import dev.gatemesh.api.model.Gateway.Server;
import dev.gatemesh.api.model.Gateway.ServerTlsMode;
import dev.gatemesh.api.model.Gateway.ServerTlsSettings;
import dev.gatemesh.api.problem.ProblemCode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Checks one Gateway: its servers' ports, protocols, hosts and TLS. */
final class GatewayValidator {

    static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "MONGO", "TCP", "TLS");

    private GatewayValidator() {
    }

    static void validate(Gateway gateway, Checks checks) {
        checks.labels("spec.selector", gateway.selector());
        checks.required("spec.servers", gateway.servers(), "at least one server");
        checks.uniqueNames("spec.servers", gateway.servers().stream().map(Server::name).toList(), "server name");
        Map<Integer, String> protocolByPort = new HashMap<>();
        for (int i = 0; i < gateway.servers().size(); i++) {
            String path = index("spec.servers", i);
            Server server = gateway.servers().get(i);
            String protocol = port(checks, field(path, "port"), server);
            if (protocol != null && server.port().number() != null) {
                String earlier = protocolByPort.putIfAbsent(server.port().number(), protocol);
                if (earlier != null && !earlier.equals(protocol)) {
                    checks.problems().error(ProblemCode.INVALID_VALUE, field(field(path, "port"), "protocol"),
                            "port " + server.port().number() + " is already served as " + earlier
                                    + "; servers sharing a port must use the same protocol");
                }
            }
            if (checks.required(field(path, "hosts"), server.hosts(), "at least one host")) {
                for (int h = 0; h < server.hosts().size(); h++) {
                    serverHost(checks, index(field(path, "hosts"), h), server.hosts().get(h));
                }
            }
            tls(checks, field(path, "tls"), protocol, server.tls());
        }
    }

    private static String port(Checks checks, String path, Server server) {
        if (!checks.required(path, server.port(), "port")) {
            return null;
        }
        if (checks.required(field(path, "number"), server.port().number(), "port number")) {
            checks.port(field(path, "number"), server.port().number());
        }
        String protocol = server.port().protocol();
        if (!checks.required(field(path, "protocol"), protocol, "protocol")) {
            return null;
        }
        String upper = protocol.toUpperCase(Locale.ROOT);
        if (!PROTOCOLS.contains(upper)) {
            checks.problems().error(ProblemCode.INVALID_ENUM, field(path, "protocol"), "\"" + protocol
                    + "\" is not one of " + String.join(", ", PROTOCOLS.stream().sorted().toList()));
            return null;
        }
        return upper;
    }

    /** {@code [namespace/]host}: namespace is a name, {@code *}, {@code .} or {@code ~}. */
    private static void serverHost(Checks checks, String path, String value) {
        int slash = value.indexOf('/');
        String namespace = slash < 0 ? null : value.substring(0, slash);
        String host = slash < 0 ? value : value.substring(slash + 1);
        if (namespace != null && !namespace.equals("*") && !namespace.equals(".") && !namespace.equals("~")
                && !Names.isDnsLabel(namespace)) {
            checks.problems().error(ProblemCode.INVALID_HOST, path, "\"" + namespace
                    + "\" before the / must be a namespace, *, . or ~");
        } else if (!HostNames.isValid(host, true)) {
            checks.host(path, host, true);
        }
    }

    private static void tls(Checks checks, String path, String protocol, ServerTlsSettings tls) {
        boolean terminates = "HTTPS".equals(protocol) || "TLS".equals(protocol);
        if (tls == null) {
            if (terminates) {
                checks.problems().error(ProblemCode.INVALID_TLS, path, protocol + " servers need tls settings");
            }
            return;
        }
        if (terminates && tls.mode() == null) {
            checks.problems().error(ProblemCode.INVALID_TLS, field(path, "mode"), protocol + " servers need a tls mode");
        }
        if ((tls.mode() == ServerTlsMode.SIMPLE || tls.mode() == ServerTlsMode.MUTUAL) && tls.credentialName() == null) {
            checks.problems().error(ProblemCode.INVALID_TLS, field(path, "credentialName"), tls.mode()
                    + " TLS needs credentialName (the Secret with the server certificate and key)");
        }
        if (tls.mode() == ServerTlsMode.ISTIO_MUTUAL && tls.credentialName() != null) {
            checks.problems().error(ProblemCode.INVALID_TLS, path,
                    "ISTIO_MUTUAL uses the gateway's mesh certificate and the mesh's CA; remove credentialName");
        }
        if (tls.mode() != null && tls.mode() != ServerTlsMode.SIMPLE && tls.mode() != ServerTlsMode.MUTUAL
                && tls.mode() != ServerTlsMode.OPTIONAL_MUTUAL && tls.mode() != ServerTlsMode.ISTIO_MUTUAL) {
            checks.problems().warn(ProblemCode.UNSUPPORTED_FIELD, field(path, "mode"), "tls mode " + tls.mode()
                    + " is not supported by Gatemesh gateways (SIMPLE, MUTUAL, OPTIONAL_MUTUAL and ISTIO_MUTUAL are)");
        }
        if (Boolean.TRUE.equals(tls.httpsRedirect()) && !"HTTP".equals(protocol)) {
            checks.problems().warn(ProblemCode.INVALID_TLS, field(path, "httpsRedirect"),
                    "httpsRedirect only has an effect on HTTP servers");
        }
        if (tls.minProtocolVersion() != null && tls.maxProtocolVersion() != null
                && tls.minProtocolVersion() != Gateway.TlsProtocol.TLS_AUTO
                && tls.maxProtocolVersion() != Gateway.TlsProtocol.TLS_AUTO
                && tls.minProtocolVersion().compareTo(tls.maxProtocolVersion()) > 0) {
            checks.problems().error(ProblemCode.INVALID_TLS, field(path, "minProtocolVersion"),
                    "minProtocolVersion " + tls.minProtocolVersion() + " is above maxProtocolVersion " + tls.maxProtocolVersion());
        }
    }
}
