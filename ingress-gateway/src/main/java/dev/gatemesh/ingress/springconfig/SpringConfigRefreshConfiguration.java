package dev.gatemesh.ingress.springconfig;

import dev.gatemesh.proxy.controlplane.ControlPlaneEvents;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Refreshes the app's Spring properties when the config server announces a change over the control-plane
 * stream; {@code gatemesh.ingress.refresh-on-push=false} leaves refreshing to {@code POST /actuator/refresh}.
 */
@Configuration(proxyBeanMethods = false)
public class SpringConfigRefreshConfiguration {

    @Bean(destroyMethod = "close")
    PropertiesChangedRefresher propertiesChangedRefresher(ObjectProvider<ContextRefresher> refresher, Environment environment,
                                                          ObjectProvider<ControlPlaneEvents> events) {
        PropertiesChangedRefresher changes = new PropertiesChangedRefresher(refresher.getObject(), environment);
        if (environment.getProperty("gatemesh.ingress.refresh-on-push", Boolean.class, true)) {
            events.ifAvailable(e -> e.onPropertiesChanged(changes::onChanged));
        }
        return changes;
    }
}
