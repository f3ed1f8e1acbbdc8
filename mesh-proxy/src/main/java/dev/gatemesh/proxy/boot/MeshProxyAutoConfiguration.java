package dev.gatemesh.proxy.boot;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.snapshot.ProxyNode;
import dev.gatemesh.api.snapshot.ProxyRole;
import dev.gatemesh.proxy.credentials.CredentialSource;
import dev.gatemesh.proxy.gateway.GatewayRateLimits;
import dev.gatemesh.proxy.gateway.GatewaySettings;
import dev.gatemesh.proxy.ratelimit.RateLimitProperties;
import dev.gatemesh.proxy.gateway.RateLimitCheck;
import dev.gatemesh.proxy.controlplane.ControlPlaneEvents;
import dev.gatemesh.proxy.http.HttpListenerSettings;
import dev.gatemesh.proxy.runtime.MeshProxy;
import dev.gatemesh.proxy.runtime.SidecarConfigurationException;
import dev.gatemesh.proxy.runtime.SidecarSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes a Boot app a sidecar: {@code gatemesh.proxy.enabled=true} (the mesh-sidecar app sets it). The
 * bean starts when the context starts: the certificate first, then the stream and the listeners.
 */
@AutoConfiguration
@ConditionalOnProperty(name = "gatemesh.proxy.enabled", havingValue = "true")
@EnableConfigurationProperties({MeshProxyProperties.class, RateLimitProperties.class})
public class MeshProxyAutoConfiguration {

    /** The control plane's notices (e.g. properties-changed), for the app's parts to subscribe to. */
    @Bean
    ControlPlaneEvents controlPlaneEvents() {
        return new ControlPlaneEvents();
    }

    @Bean(destroyMethod = "close")
    MeshProxy meshSidecar(MeshProxyProperties properties, ObjectProvider<MeterRegistry> registry,
                            ObjectProvider<CredentialSource> credentials, ObjectProvider<RateLimitCheck> rateLimits,
                            ControlPlaneEvents events, Environment environment)
            throws InterruptedException {
        String id = properties.id() != null ? properties.id()
                : properties.workload() != null ? properties.workload().substring(properties.workload().indexOf('/') + 1)
                : System.getenv().getOrDefault("HOSTNAME", "sidecar");
        ProxyNode node = new ProxyNode(id, properties.role(), properties.namespace(), properties.serviceAccount(),
                properties.labels());
        LoadOptions options = new LoadOptions(properties.namespace(), properties.rootNamespace(), properties.trustDomain(),
                properties.domainSuffix());
        SidecarSettings settings = new SidecarSettings(node, options, properties.controlPlane(), properties.rootCert(),
                properties.credentialFile(), properties.workload(), properties.certificateTtl(), properties.outbound().host(),
                properties.outbound().port(), properties.inbound().host(), properties.inbound().port(), properties.app().host(),
                properties.app().ports(), properties.outboundTrafficPolicy(), properties.concurrency(), http(properties),
                properties.pathNormalization(), managementPorts(environment));
        GatewaySettings gateway = properties.role() == ProxyRole.SIDECAR ? null : new GatewaySettings(properties.gateway().host(),
                credentials.getObject(), rateLimits.getIfAvailable(() -> RateLimitCheck.NONE), tlsProvider(properties.gateway()));
        return new MeshProxy(settings, gateway, registry.getIfAvailable(SimpleMeterRegistry::new), Clock.systemUTC(), events).start();
    }

    /** The app's own HTTP ports (actuator): never reachable through the proxy's listeners. */
    private static Set<Integer> managementPorts(Environment environment) {
        Set<Integer> ports = new HashSet<>();
        for (String property : List.of("server.port", "management.server.port")) {
            Integer port = environment.getProperty(property, Integer.class);
            if (port != null && port > 0) {
                ports.add(port);
            }
        }
        return ports;
    }

    private static HttpListenerSettings http(MeshProxyProperties properties) {
        positive("gatemesh.proxy.request-headers-timeout", properties.requestHeadersTimeout(),
                "the longest a client may take to send a request's headers, e.g. 10s (the default)");
        positive("gatemesh.proxy.idle-timeout", properties.idleTimeout(),
                "how long a keep-alive connection may wait for its next request, e.g. 1h (the default)");
        return HttpListenerSettings.DEFAULTS.withTimeouts(properties.requestHeadersTimeout(), properties.idleTimeout());
    }

    private static void positive(String property, Duration value, String meaning) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new SidecarConfigurationException(property + " is " + value, meaning + ": more than 0");
        }
    }

    private static io.netty.handler.ssl.SslProvider tlsProvider(MeshProxyProperties.Gateway gateway) {
        if (gateway.tlsProvider() == MeshProxyProperties.TlsProvider.JDK) {
            return io.netty.handler.ssl.SslProvider.JDK;
        }
        if (!io.netty.handler.ssl.OpenSsl.isAvailable()) {
            Throwable cause = io.netty.handler.ssl.OpenSsl.unavailabilityCause();
            throw new IllegalStateException("gatemesh.proxy.gateway.tls-provider=OPENSSL, but OpenSSL is not available: "
                    + (cause == null ? "unknown reason" : cause.getMessage())
                    + " (netty-tcnative-boringssl-static for this platform must be on the class path)");
        }
        return io.netty.handler.ssl.SslProvider.OPENSSL;
    }

    /** A gateway's rate limits ({@code gatemesh.gateway.rate-limits}); none configured, nothing limited. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(RateLimitCheck.class)
    GatewayRateLimits gatewayRateLimits(RateLimitProperties properties, ObjectProvider<MeterRegistry> registry) {
        return GatewayRateLimits.of(properties, registry.getIfAvailable(SimpleMeterRegistry::new), Clock.systemUTC());
    }

    /** Readiness: a valid workload certificate and the first configuration from the control plane. */
    @Bean
    HealthIndicator meshProxyHealthIndicator(MeshProxy sidecar) {
        return () -> {
            boolean certificate = sidecar.identity() != null && sidecar.identity().isReady();
            boolean configuration = sidecar.state() != null && sidecar.state().hasConfiguration();
            Health.Builder health = certificate && configuration ? Health.up() : Health.outOfService();
            health.withDetail("certificate", certificate ? sidecar.identity().current().identity().toString() + " until "
                    + sidecar.identity().current().notAfter() : "none yet");
            health.withDetail("configuration", configuration ? sidecar.state().current().version() : "none yet");
            if (sidecar.gatewayPorts() != null) {
                health.withDetail("gatewayPorts", sidecar.gatewayPorts().openPorts());
                if (!sidecar.gatewayPorts().failedPorts().isEmpty()) {
                    health.withDetail("failedPorts", sidecar.gatewayPorts().failedPorts());
                }
            } else {
                health.withDetail("outboundPort", sidecar.outboundPort());
                health.withDetail("inboundPort", sidecar.inboundPort());
            }
            return health.build();
        };
    }
}
