package dev.gatemesh.ingress;

import dev.gatemesh.ingress.springconfig.MeshConfigServerClient;
import dev.gatemesh.proxy.gateway.CredentialsConfiguration;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Import;

/**
 * The ingress gateway: mesh-proxy in the ingress role serves the Istio Gateway servers that select it
 * (their own ports); Spring Cloud Gateway serves Spring-native routes on {@code server.port}; actuator is
 * on the management port. Credentials for {@code credentialName} come from mesh-proxy's gateway credential sources.
 */
@SpringBootApplication
@Import(CredentialsConfiguration.class)
public class IngressGatewayApplication {

    public static void main(String[] args) {
        builder().run(args);
    }

    /**
     * The app as it runs: its own configuration file name, no TLS session tickets, and a config client that
     * reaches the mesh's config server ({@code spring.config.import=optional:configserver:https://...:15012}).
     */
    public static SpringApplicationBuilder builder() {
        // TLS 1.3 session tickets would let a resumed session outlive a certificate rotation or a trust change.
        System.setProperty("jdk.tls.server.enableSessionTicketExtension", "false");
        return new SpringApplicationBuilder(IngressGatewayApplication.class)
                .properties(Map.of("spring.config.name", "gatemesh-ingress"))
                .addBootstrapRegistryInitializer(MeshConfigServerClient.bootstrapper());
    }
}
