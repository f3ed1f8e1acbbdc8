package dev.gatemesh.server.admission;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.ca.CertificateAuthority;
import dev.gatemesh.server.ConfigServerProperties;
import dev.gatemesh.server.KubernetesClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The admission webhooks (sidecar injection, validation) and, in kubernetes mode, their caBundle upkeep. */
@Configuration(proxyBeanMethods = false)
public class AdmissionConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AdmissionConfiguration.class);

    @Bean
    InjectionSettings injectionSettings(InjectionProperties injection, ConfigServerProperties properties) {
        try {
            return InjectionSettings.of(injection, properties.trustDomain(), properties.rootNamespace(),
                    properties.domainSuffix());
        } catch (IllegalArgumentException e) {
            throw new InvalidInjectionSettings("gatemesh.server.injection." + e.getMessage(), e);
        }
    }

    @Bean
    SidecarInjector sidecarInjector(InjectionSettings settings) {
        return new SidecarInjector(settings);
    }

    @Bean
    RouterFunction<ServerResponse> admissionRoutes(SidecarInjector injector, LoadOptions options,
                                                   ConfigServerProperties properties, KubernetesClients kubernetes) {
        NamespaceLabels namespaces = properties.effectiveSource() == ConfigServerProperties.SourceType.KUBERNETES
                ? NamespaceLabels.of(kubernetes.get()) : NamespaceLabels.unknown();
        return new AdmissionEndpoint(new InjectionWebhook(injector, namespaces), new ValidationWebhook(options)).routes();
    }

    /** Starts with the other Kubernetes work, after the CA exists; kubernetes mode only. */
    @Bean
    SmartLifecycle webhookCaBundlesLifecycle(ConfigServerProperties properties, WebhookProperties webhooks,
                                             ObjectProvider<KubernetesClients> kubernetes,
                                             ObjectProvider<CertificateAuthority> ca) {
        return new SmartLifecycle() {
            private WebhookCaBundles upkeep;

            @Override
            public void start() {
                if (properties.effectiveSource() == ConfigServerProperties.SourceType.KUBERNETES) {
                    CertificateAuthority authority = ca.getObject();
                    upkeep = new WebhookCaBundles(kubernetes.getObject().get(), webhooks, authority::trustBundle,
                            properties.ca().reloadInterval());
                    log.info("Keeping the caBundle of webhook configurations {} and {} current", webhooks.injectorName(),
                            webhooks.validatorName());
                }
            }

            @Override
            public void stop() {
                if (upkeep != null) {
                    upkeep.close();
                    upkeep = null;
                }
            }

            @Override
            public boolean isRunning() {
                return upkeep != null;
            }
        };
    }
}
