package dev.gatemesh.proxy.boot;

import dev.gatemesh.proxy.probe.ProbeChecks;
import dev.gatemesh.proxy.probe.ProbeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;

/**
 * Serves the kubelet's probes on their own port ({@code gatemesh.proxy.probe.port}), so that the management port
 * stays on loopback. Liveness is the application's liveness state; readiness is what the readiness group on the
 * management port says: the application accepts traffic and the proxy has its certificate and first configuration.
 */
@AutoConfiguration(after = MeshProxyAutoConfiguration.class)
@ConditionalOnProperty(name = "gatemesh.proxy.enabled", havingValue = "true")
@ConditionalOnExpression("${gatemesh.proxy.probe.port:-1} >= 0")
@EnableConfigurationProperties(ProbeProperties.class)
public class MeshProxyProbeAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MeshProxyProbeAutoConfiguration.class);

    @Bean(destroyMethod = "close")
    ProbeListener meshProxyProbeListener(ProbeProperties properties, ApplicationAvailability availability,
                                         @Qualifier("meshProxyHealthIndicator") HealthIndicator proxy) {
        ProbeChecks checks = new ProbeChecks(
                () -> availability.getLivenessState() == LivenessState.CORRECT,
                () -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC
                        && Status.UP.equals(proxy.health().getStatus()));
        ProbeListener listener = ProbeListener.start(properties.host(), properties.port(), checks);
        log.info("Probes (/livez, /readyz, /healthz/ready) on {}:{}", listener.host(), listener.port());
        return listener;
    }
}
