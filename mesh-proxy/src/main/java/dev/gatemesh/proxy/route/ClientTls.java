package dev.gatemesh.proxy.route;

import java.util.List;

/**
 * The TLS a DestinationRule asks for towards a destination, beyond the mesh's own: Istio's {@code ClientTLSSettings}.
 * SIMPLE and MUTUAL originate TLS to a server outside the mesh (its certificate verified against
 * {@code caCertificates}, the CA of {@code credentialName}, or the JVM's trusted CAs, and its name against
 * {@code subjectAltNames}, else {@code sni}, else the host); ISTIO_MUTUAL may name the {@code sni} a gateway's
 * server is chosen by.
 *
 * @param mode               SIMPLE, MUTUAL or ISTIO_MUTUAL
 * @param sni                the server name to send, or null for the destination's host
 * @param subjectAltNames    the names the server's certificate must carry (any one), or empty
 * @param caCertificates     a PEM file of CAs to trust, or null
 * @param credentialName     the credential (a gateway's) with the client certificate and key, and/or {@code ca.crt}
 * @param insecureSkipVerify true to accept any server certificate (Istio's escape hatch; logged)
 */
public record ClientTls(String mode, String sni, List<String> subjectAltNames, String caCertificates,
                        String credentialName, boolean insecureSkipVerify) {

    public ClientTls {
        subjectAltNames = List.copyOf(subjectAltNames);
    }

    /** Whether TLS is originated to a server outside the mesh (SIMPLE or MUTUAL). */
    public boolean originates() {
        return mode.equals("SIMPLE") || mode.equals("MUTUAL");
    }
}
