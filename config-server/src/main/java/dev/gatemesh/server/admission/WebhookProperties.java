package dev.gatemesh.server.admission;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The webhook configurations whose {@code caBundle} the config server keeps equal to its trust bundle (kubernetes
 * mode), under {@code gatemesh.server.webhooks}.
 *
 * @param injectorName  the MutatingWebhookConfiguration of the sidecar injector
 * @param validatorName the ValidatingWebhookConfiguration of the resource validator
 */
@ConfigurationProperties("gatemesh.server.webhooks")
public record WebhookProperties(
        @DefaultValue("gatemesh-sidecar-injector") String injectorName,
        @DefaultValue("gatemesh-validator") String validatorName) {
}
