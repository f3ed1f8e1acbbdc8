package dev.gatemesh.server.admission;

import dev.gatemesh.ca.TrustBundle;
import dev.gatemesh.server.BackgroundThreads;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@code caBundle} of the injector's and the validator's webhook configurations equal to the mesh's trust
 * bundle (the roots that sign the config server's serving certificate), so that the API server trusts the webhooks
 * from the first start on and through a root rotation. The chart renders the bundle empty; this patches it at start
 * and, looking every interval (the CA reloader's), again whenever the bundle changed. A configuration that does not
 * exist yet is reported once and looked for again every interval until it is there and patched.
 */
public final class WebhookCaBundles implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookCaBundles.class);

    private final KubernetesClient client;
    private final WebhookProperties names;
    private final Supplier<TrustBundle> bundle;
    private final ScheduledExecutorService scheduler;
    private final Set<String> reportedMissing = new HashSet<>();
    /** The bundle both configurations carry, as far as this replica knows; null until both were seen and patched. */
    private String applied;

    /** Starts at once and then looks again every {@code interval}. */
    public WebhookCaBundles(KubernetesClient client, WebhookProperties names, Supplier<TrustBundle> bundle, Duration interval) {
        this.client = client;
        this.names = names;
        this.bundle = bundle;
        this.scheduler = BackgroundThreads.scheduler("gatemesh-webhook-ca-bundle");
        scheduler.scheduleWithFixedDelay(this::update, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The {@code caBundle} field's value: the PEM roots, base64-encoded. */
    static String caBundle(TrustBundle bundle) {
        return Base64.getEncoder().encodeToString(bundle.pem().getBytes(StandardCharsets.US_ASCII));
    }

    synchronized void update() {
        String wanted = caBundle(bundle.get());
        if (wanted.equals(applied)) {
            return;
        }
        boolean injector = false;
        boolean validator = false;
        try {
            injector = updateInjector(wanted);
        } catch (RuntimeException e) {
            log.warn("Updating the caBundle of MutatingWebhookConfiguration {} failed (will retry): {}", names.injectorName(),
                    e.getMessage());
        }
        try {
            validator = updateValidator(wanted);
        } catch (RuntimeException e) {
            log.warn("Updating the caBundle of ValidatingWebhookConfiguration {} failed (will retry): {}",
                    names.validatorName(), e.getMessage());
        }
        applied = injector && validator ? wanted : null;
    }

    /** @return whether the configuration carries the bundle now */
    private boolean updateInjector(String wanted) {
        var resource = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(names.injectorName());
        MutatingWebhookConfiguration current = resource.get();
        if (missing(current, "MutatingWebhookConfiguration", names.injectorName())) {
            return false;
        }
        List<MutatingWebhook> webhooks = current.getWebhooks() == null ? List.of() : current.getWebhooks();
        if (webhooks.stream().allMatch(w -> wanted.equals(w.getClientConfig() == null ? null : w.getClientConfig().getCaBundle()))) {
            return true;
        }
        resource.edit(configuration -> {
            configuration.getWebhooks().stream().filter(w -> w.getClientConfig() != null)
                    .forEach(w -> w.getClientConfig().setCaBundle(wanted));
            return configuration;
        });
        log.info("MutatingWebhookConfiguration {}: caBundle set to the mesh's trust bundle", names.injectorName());
        return true;
    }

    /** @return whether the configuration carries the bundle now */
    private boolean updateValidator(String wanted) {
        var resource = client.admissionRegistration().v1().validatingWebhookConfigurations().withName(names.validatorName());
        ValidatingWebhookConfiguration current = resource.get();
        if (missing(current, "ValidatingWebhookConfiguration", names.validatorName())) {
            return false;
        }
        List<ValidatingWebhook> webhooks = current.getWebhooks() == null ? List.of() : current.getWebhooks();
        if (webhooks.stream().allMatch(w -> wanted.equals(w.getClientConfig() == null ? null : w.getClientConfig().getCaBundle()))) {
            return true;
        }
        resource.edit(configuration -> {
            configuration.getWebhooks().stream().filter(w -> w.getClientConfig() != null)
                    .forEach(w -> w.getClientConfig().setCaBundle(wanted));
            return configuration;
        });
        log.info("ValidatingWebhookConfiguration {}: caBundle set to the mesh's trust bundle", names.validatorName());
        return true;
    }

    private boolean missing(Object configuration, String kind, String name) {
        String key = kind + "/" + name;
        if (configuration != null) {
            if (reportedMissing.remove(key)) {
                log.info("{} {} exists now", kind, name);
            }
            return false;
        }
        if (reportedMissing.add(key)) {
            log.warn("{} {} does not exist (yet): its caBundle cannot be kept current; looking again every interval",
                    kind, name);
        }
        return true;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

}
