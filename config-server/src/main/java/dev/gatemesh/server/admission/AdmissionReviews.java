package dev.gatemesh.server.admission;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Reading an {@code admission.k8s.io/v1} AdmissionReview and writing the answer, with fabric8's model and
 * Kubernetes' JSON conventions. A review that is not one is a {@link Malformed} with a message for a human (the API
 * server never sends one; a person with curl might).
 */
public final class AdmissionReviews {

    static final String API_VERSION = "admission.k8s.io/v1";

    /** A body that is not an AdmissionReview v1 with a request. */
    public static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    private AdmissionReviews() {
    }

    public static AdmissionRequest request(String body) throws Malformed {
        JsonNode tree;
        try {
            tree = AdmissionJson.mapper().readTree(body == null ? "" : body);
        } catch (JacksonException e) {
            throw new Malformed("the body is not JSON (" + e.getOriginalMessage() + "); expected an AdmissionReview of "
                    + API_VERSION);
        }
        if (tree == null || !tree.isObject()) {
            throw new Malformed("the body must be a JSON object: an AdmissionReview of " + API_VERSION);
        }
        String apiVersion = tree.path("apiVersion").asText(null);
        String kind = tree.path("kind").asText(null);
        if (!API_VERSION.equals(apiVersion) || !"AdmissionReview".equals(kind)) {
            throw new Malformed("apiVersion/kind: " + apiVersion + "/" + kind + " is not supported; expected "
                    + API_VERSION + "/AdmissionReview");
        }
        if (!tree.path("request").isObject()) {
            throw new Malformed("request: missing; an AdmissionReview sent to a webhook carries the request");
        }
        AdmissionReview review;
        try {
            review = AdmissionJson.mapper().treeToValue(tree, AdmissionReview.class);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new Malformed("request: cannot be read (" + firstLine(e.getMessage()) + ")");
        }
        AdmissionRequest request = review.getRequest();
        if (request.getUid() == null || request.getUid().isBlank()) {
            throw new Malformed("request.uid: missing; the answer must carry the request's uid");
        }
        return request;
    }

    public static String allow(AdmissionRequest request, List<String> warnings) {
        return write(new AdmissionResponseBuilder().withUid(request.getUid()).withAllowed(true).withWarnings(warnings).build());
    }

    /** Allowed with a JSON Patch, base64-encoded as the API requires. */
    public static String patch(AdmissionRequest request, JsonNode patch, List<String> warnings) {
        String encoded = Base64.getEncoder().encodeToString(AdmissionJson.write(patch).getBytes(StandardCharsets.UTF_8));
        return write(new AdmissionResponseBuilder().withUid(request.getUid()).withAllowed(true)
                .withPatchType("JSONPatch").withPatch(encoded).withWarnings(warnings).build());
    }

    /** Denied: kubectl prints the message after "admission webhook ... denied the request:". */
    public static String deny(AdmissionRequest request, int code, String reason, String message, List<String> warnings) {
        return write(new AdmissionResponseBuilder().withUid(request.getUid()).withAllowed(false).withWarnings(warnings)
                .withStatus(new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message)
                        .build())
                .build());
    }

    private static String write(AdmissionResponse response) {
        AdmissionReview review = new AdmissionReview();
        review.setResponse(response);
        return AdmissionJson.write(review);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unreadable";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
