package dev.gatemesh.server.admission;

import dev.gatemesh.api.thread.DaemonThreads;
import dev.gatemesh.ca.TrustBundle;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
    /** Problems already logged (a missing configuration, a failure), so that each is logged once, not every interval. */
    private final Set<String> reported = new HashSet<>();
    /** The bundle both configurations carry, as far as this replica knows; null until both were seen and patched. */
    private String applied;

    /** Starts at once and then looks again every {@code interval}. */
    public WebhookCaBundles(KubernetesClient client, WebhookProperties names, Supplier<TrustBundle> bundle, Duration interval) {
        this.client = client;
        this.names = names;
        this.bundle = bundle;
        this.scheduler = DaemonThreads.scheduler("gatemesh-webhook-ca-bundle");
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
        boolean injector = keep("MutatingWebhookConfiguration", names.injectorName(),
                client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(names.injectorName()),
                configuration -> clientConfigs(configuration.getWebhooks(), MutatingWebhook::getClientConfig), wanted);
        boolean validator = keep("ValidatingWebhookConfiguration", names.validatorName(),
                client.admissionRegistration().v1().validatingWebhookConfigurations().withName(names.validatorName()),
                configuration -> clientConfigs(configuration.getWebhooks(), ValidatingWebhook::getClientConfig), wanted);
        applied = injector && validator ? wanted : null;
    }

    private static <W> List<WebhookClientConfig> clientConfigs(List<W> webhooks, Function<W, WebhookClientConfig> config) {
        return webhooks == null ? List.of() : webhooks.stream().map(config).filter(Objects::nonNull).toList();
    }

    /** @return whether the configuration carries the bundle now */
    private <T extends HasMetadata> boolean keep(String kind, String name, Resource<T> resource,
                                                 Function<T, List<WebhookClientConfig>> configs, String wanted) {
        String key = kind + "/" + name;
        try {
            T current = resource.get();
            if (current == null) {
                if (reported.add(key + ":missing")) {
                    log.warn("{} {} does not exist (yet): its caBundle cannot be kept current; looking again every interval",
                            kind, name);
                }
                return false;
            }
            if (reported.remove(key + ":missing")) {
                log.info("{} {} exists now", kind, name);
            }
            if (configs.apply(current).stream().allMatch(c -> wanted.equals(c.getCaBundle()))) {
                return true;
            }
            resource.edit(configuration -> {
                configs.apply(configuration).forEach(c -> c.setCaBundle(wanted));
                return configuration;
            });
            reported.removeIf(entry -> entry.startsWith(key + ":failed"));
            log.info("{} {}: caBundle set to the mesh's trust bundle", kind, name);
            return true;
        } catch (RuntimeException e) {
            if (reported.add(key + ":failed:" + e.getMessage())) {
                log.warn("Updating the caBundle of {} {} failed (will retry every interval): {}", kind, name, e.getMessage());
            }
            return false;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

}
