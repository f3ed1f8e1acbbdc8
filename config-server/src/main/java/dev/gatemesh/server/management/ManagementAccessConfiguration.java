package dev.gatemesh.server.management;

import dev.gatemesh.server.ConfigServerProperties;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The management credential and its filter. The filter is a bean of the main context: WebFlux's management
 * child context takes the WebFilters of its parent too, and the filter acts only there.
 */
@Configuration(proxyBeanMethods = false)
public class ManagementAccessConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ManagementAccessConfiguration.class);

    @Bean
    ManagementToken managementToken(ManagementProperties management, ConfigServerProperties properties) {
        ManagementToken token = ManagementToken.resolve(management.token(), properties.home(), new SecureRandom());
        if (management.token() == null || management.token().isBlank()) {
            log.info("The management port takes the credential in {}", properties.home().resolve(ManagementToken.FILE_NAME));
        }
        return token;
    }

    @Bean
    ManagementAccessFilter managementAccessFilter(ManagementToken token, ObjectProvider<HealthEndpoint> health) {
        return new ManagementAccessFilter(token, new ProbeAnswers(health::getIfAvailable));
    }
}
