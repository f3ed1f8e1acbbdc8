package dev.gatemesh.proxy.route;

import java.util.List;

/**
 * A server of an Istio Gateway, as a gateway proxy applies it.
 *
 * @param gateway  the Gateway, {@code namespace/name}
 * @param name     the server's name, or null
 * @param port     the port number
 * @param protocol HTTP, HTTPS, HTTP2, GRPC, TLS, TCP, ... (upper case)
 * @param hosts    the host names it serves, each with the namespaces whose VirtualServices may bind to it
 * @param tls      its TLS settings, or null for plain text
 */
public record GatewayServer(String gateway, String name, int port, String protocol, List<Host> hosts, Tls tls) {

    public GatewayServer {
        hosts = List.copyOf(hosts);
    }

    /**
     * A server host: {@code pattern} is a lower-case name, {@code *.suffix} or {@code *}; {@code namespace} is
     * {@code *} (any namespace's VirtualServices), {@code .} (the Gateway's own, already resolved) or a name.
     */
    public record Host(String namespace, String pattern) {

        /** Whether a request for {@code host} (lower case, no port) is within this pattern. */
        public boolean covers(String host) {
            if (pattern.equals("*") || pattern.equals(host)) {
                return true;
            }
            return pattern.startsWith("*.") && host.endsWith(pattern.substring(1)) && host.length() > pattern.length() - 1;
        }

        /** Whether a VirtualService host (a name or a wildcard) shares names with this pattern. */
        public boolean intersects(String virtualServiceHost) {
            if (covers(virtualServiceHost)) {
                return true;
            }
            return virtualServiceHost.equals("*") || virtualServiceHost.startsWith("*.")
                    && (pattern.endsWith(virtualServiceHost.substring(1)) && pattern.length() > virtualServiceHost.length() - 1);
        }

        public boolean admits(String virtualServiceNamespace) {
            return namespace.equals("*") || namespace.equals(virtualServiceNamespace);
        }
    }

    /**
     * TLS of a server.
     *
     * @param mode           SIMPLE, MUTUAL, PASSTHROUGH, ...; null when only {@code httpsRedirect} is set
     * @param credentialName the Secret (Kubernetes) or home-folder credential with the certificate and key
     * @param httpsRedirect  answer plain-text requests with a 301 to https
     * @param minVersion     e.g. TLSV1_2, or null for the default
     * @param maxVersion     e.g. TLSV1_3, or null for the default
     */
    public record Tls(String mode, String credentialName, boolean httpsRedirect, String minVersion, String maxVersion) {
    }
}
