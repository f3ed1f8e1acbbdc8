package dev.gatemesh.server.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /inject}: the mutating webhook. A pod the injector accepts comes back with a JSON Patch that adds its
 * sidecar; a pod it skips is allowed unchanged (the reason as a warning when it is a surprise); a pod whose
 * annotations ask for something impossible is denied with each problem, as Istio's injector denies a pod it cannot
 * inject. Anything other than a pod CREATE is allowed unchanged: the webhook's rules should not send one.
 */
public final class InjectionWebhook {

    public static final String PATH = "/inject";

    private static final Logger log = LoggerFactory.getLogger(InjectionWebhook.class);

    private final SidecarInjector injector;
    private final NamespaceLabels namespaces;

    public InjectionWebhook(SidecarInjector injector, NamespaceLabels namespaces) {
        this.injector = injector;
        this.namespaces = namespaces;
    }

    public WebhookAnswer handle(String body) {
        AdmissionRequest request;
        try {
            request = AdmissionReviews.request(body);
        } catch (AdmissionReviews.Malformed e) {
            return WebhookAnswer.malformed(e.getMessage());
        }
        if (!"CREATE".equals(request.getOperation()) || !(request.getObject() instanceof Pod pod)) {
            return WebhookAnswer.review(AdmissionReviews.allow(request, List.of("gatemesh sidecar injector: only pod "
                    + "creation is handled; " + describe(request) + " is allowed unchanged")));
        }
        String namespace = request.getNamespace() != null ? request.getNamespace()
                : pod.getMetadata() == null ? null : pod.getMetadata().getNamespace();
        String name = podName(pod);
        InjectionDecision decision = injector.inject(pod, namespace, namespaces.of(namespace));
        if (decision instanceof InjectionDecision.Injected injected) {
            JsonNode patch = JsonPatchDiff.diff(AdmissionJson.tree(pod), AdmissionJson.tree(injected.pod()));
            log.info("Injected the sidecar into pod {}/{}", namespace, name);
            return WebhookAnswer.review(AdmissionReviews.patch(request, patch, List.of()));
        }
        if (decision instanceof InjectionDecision.Refused refused) {
            String message = "gatemesh cannot inject the sidecar into pod " + namespace + "/" + name + ":\n- "
                    + String.join("\n- ", refused.problems());
            log.info("{}", message);
            return WebhookAnswer.review(AdmissionReviews.deny(request, 400, "BadRequest", message, List.of()));
        }
        log.debug("Not injecting pod {}/{}: {}", namespace, name, ((InjectionDecision.Skipped) decision).reason());
        return WebhookAnswer.review(AdmissionReviews.allow(request, List.of()));
    }

    private static String podName(Pod pod) {
        if (pod.getMetadata() == null) {
            return "(unnamed)";
        }
        if (pod.getMetadata().getName() != null && !pod.getMetadata().getName().isEmpty()) {
            return pod.getMetadata().getName();
        }
        String generate = pod.getMetadata().getGenerateName();
        return generate != null ? generate + "*" : "(unnamed)";
    }

    private static String describe(AdmissionRequest request) {
        String kind = request.getKind() == null ? "an object" : request.getKind().getKind();
        return request.getOperation() + " of " + kind;
    }
}
