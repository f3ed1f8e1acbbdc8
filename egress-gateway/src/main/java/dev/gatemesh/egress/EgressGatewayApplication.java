package dev.gatemesh.egress;

import dev.gatemesh.proxy.gateway.CredentialsConfiguration;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/**
 * The egress gateway: mesh-proxy in the egress role serves the Istio Gateway servers that select it (ISTIO_MUTUAL for
 * mesh callers), routes only the external hosts VirtualServices bind to them, originates TLS to them as their
 * DestinationRules say, enforces its AuthorizationPolicies and writes one audit line per request
 * (logger {@code gatemesh.egress.audit}). Credentials for {@code credentialName} come from the same sources as the
 * ingress gateway's (mesh-proxy's gateway credential sources); actuator is on the management port.
 */
@SpringBootApplication
@Import(CredentialsConfiguration.class)
public class EgressGatewayApplication {

    public static void main(String[] args) {
        builder().run(args);
    }

    /** The app as it runs: its own configuration file name, and no TLS session tickets. */
    public static SpringApplicationBuilder builder() {
        // TLS 1.3 session tickets would let a resumed session outlive a certificate rotation or a trust change.
        System.setProperty("jdk.tls.server.enableSessionTicketExtension", "false");
        return new SpringApplicationBuilder(EgressGatewayApplication.class)
                .properties(Map.of("spring.config.name", "gatemesh-egress"));
    }
}
