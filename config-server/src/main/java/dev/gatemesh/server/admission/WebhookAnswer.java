package dev.gatemesh.server.admission;

/** An HTTP answer of a webhook: 200 with an AdmissionReview, or 400 with a message for a malformed review. */
public record WebhookAnswer(int status, String json) {

    static WebhookAnswer review(String json) {
        return new WebhookAnswer(200, json);
    }

    static WebhookAnswer malformed(String message) {
        return new WebhookAnswer(400, AdmissionJson.write(java.util.Map.of("error", message)));
    }
}
