package dev.gatemesh.server.admission;

import dev.gatemesh.api.load.LoadOptions;
import dev.gatemesh.api.load.LoadedResource;
import dev.gatemesh.api.load.ManifestLoader;
import dev.gatemesh.api.problem.Problem;
import dev.gatemesh.api.yaml.YamlNode;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import java.util.ArrayList;
import dev.gatemesh.api.limit.LimitExceeded;
import dev.gatemesh.api.limit.PlainLimits;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * {@code POST /validate}: the validating webhook for Gatemesh's kinds. A created or updated resource goes through the
 * same reader and validators as {@code meshctl analyze} and the config sources, so what the cluster accepts is what
 * the mesh can run. Errors deny it, each as {@code field path: problem (expected)}, without file names (there is no
 * file); warnings come back as admission warnings, which kubectl prints.
 */
public final class ValidationWebhook {

    public static final String PATH = "/validate";

    private final LoadOptions options;

    public ValidationWebhook(LoadOptions options) {
        this.options = options;
    }

    public WebhookAnswer handle(String body) {
        AdmissionRequest request;
        try {
            request = AdmissionReviews.request(body);
        } catch (AdmissionReviews.Malformed e) {
            return WebhookAnswer.malformed(e.getMessage());
        }
        String operation = request.getOperation();
        if (!"CREATE".equals(operation) && !"UPDATE".equals(operation)) {
            return WebhookAnswer.review(AdmissionReviews.allow(request, List.of()));
        }
        if (request.getObject() == null) {
            return WebhookAnswer.malformed("request.object: missing; a " + operation + " review carries the object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = AdmissionJson.SERIALIZATION.convertValue(request.getObject(), Map.class);
        Optional<LimitExceeded> over = PlainLimits.check(plain, options.limits());
        if (over.isPresent()) {
            String where = over.get().path() == null ? "" : over.get().path() + ": ";
            return WebhookAnswer.review(AdmissionReviews.deny(request, 422, "Invalid", kindAndName(request, plain)
                    + " is over an input limit of the config server: " + where + over.get().message(), List.of()));
        }
        String namespace = request.getNamespace() != null ? request.getNamespace() : options.defaultNamespace();
        ManifestLoader loader = new ManifestLoader(options.withDefaultNamespace(namespace));
        List<Problem> problems = new ArrayList<>();
        LoadedResource loaded = loader.readDocument(YamlNode.fromPlain(plain), null, 0, problems);
        if (loaded != null) {
            problems.addAll(loaded.problems());
        }
        List<String> errors = problems.stream().filter(Problem::isError).map(ValidationWebhook::line).toList();
        List<String> warnings = problems.stream().filter(p -> !p.isError()).map(ValidationWebhook::line).toList();
        if (errors.isEmpty()) {
            return WebhookAnswer.review(AdmissionReviews.allow(request, warnings));
        }
        String what = kindAndName(request, plain);
        String message = what + " is not valid Gatemesh configuration (" + errors.size()
                + (errors.size() == 1 ? " error" : " errors") + "):\n- " + String.join("\n- ", errors);
        return WebhookAnswer.review(AdmissionReviews.deny(request, 422, "Invalid", message, warnings));
    }

    /** {@code spec.http[0].route[0].weight: weight must be between 0 and 100 (got -5)}, with the problem's code. */
    static String line(Problem problem) {
        String field = problem.field() == null || problem.field().isEmpty() ? "" : problem.field() + ": ";
        return field + problem.message() + " [" + problem.code().code() + "]";
    }

    private static String kindAndName(AdmissionRequest request, Map<String, Object> plain) {
        String kind = plain.get("kind") instanceof String k ? k : request.getKind() == null ? "resource" : request.getKind().getKind();
        String name = request.getName();
        if (name == null && plain.get("metadata") instanceof Map<?, ?> metadata && metadata.get("name") instanceof String n) {
            name = n;
        }
        String namespace = request.getNamespace();
        return kind + " " + (namespace == null ? "" : namespace + "/") + (name == null ? "(unnamed)" : name);
    }
}
