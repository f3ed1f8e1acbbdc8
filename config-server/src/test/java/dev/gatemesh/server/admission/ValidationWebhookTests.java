package dev.gatemesh.server.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.load.LoadOptions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import org.junit.jupiter.api.Test;

class ValidationWebhookTests {

    private final ValidationWebhook webhook = new ValidationWebhook(LoadOptions.DEFAULTS);

    private AdmissionResponse validate(String operation, String namespace, String yaml) {
        GenericKubernetesResource object = AdmissionJson.SERIALIZATION.unmarshal(yaml, GenericKubernetesResource.class);
        String review = AdmissionJson.write(new AdmissionReviewBuilder().withNewRequest().withUid("u-1")
                .withKind(new GroupVersionKind(object.getApiVersion().split("/")[0], object.getKind(), "v1"))
                .withNamespace(namespace).withOperation(operation).withObject(object).endRequest().build());
        WebhookAnswer answer = webhook.handle(review);
        assertThat(answer.status()).isEqualTo(200);
        return AdmissionJson.SERIALIZATION.unmarshal(answer.json(), AdmissionReview.class).getResponse();
    }

    @Test
    void anUnknownFieldOfASecurityKindIsDeniedNamingTheNearestKnownField() {
        AdmissionResponse response = validate("CREATE", "bookinfo", """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default}
                spec:
                  mtsl: {mode: STRICT}
                """);

        assertThat(response.getAllowed()).isFalse();
        assertThat(response.getStatus().getMessage()).startsWith("PeerAuthentication bookinfo/default is not valid Gatemesh "
                + "configuration (1 error):\n- spec.mtsl: unknown field \"mtsl\"").contains("mtls");
    }

    @Test
    void aResourceOverAnInputLimitIsDeniedNamingTheLimitAndTheField() {
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            hosts.append("  - h").append(i).append(".example.com\n");
        }
        AdmissionResponse response = validate("CREATE", "bookinfo", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: wide}
                spec:
                  hosts:
                %s""".formatted(hosts));

        assertThat(response.getAllowed()).isFalse();
        assertThat(response.getStatus().getMessage()).isEqualTo("VirtualService bookinfo/wide is over an input limit of the "
                + "config server: spec.hosts: a list has 1001 items; the limit (max-list-length) is 1000 items");
    }

    @Test
    void warningsAllowTheResourceAndComeBackAsAdmissionWarnings() {
        AdmissionResponse response = validate("CREATE", "bookinfo", """
                apiVersion: networking.istio.io/v1
                kind: EnvoyFilter
                metadata: {name: tweak}
                spec: {}
                """);

        assertThat(response.getAllowed()).isTrue();
        assertThat(response.getWarnings()).singleElement().asString().contains("EnvoyFilter");
    }

    @Test
    void aResourceWithoutNamespaceIsReadInTheRequestsNamespace() {
        AdmissionResponse response = validate("CREATE", "bookinfo", """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews}
                spec:
                  host: reviews
                  subsets: [{name: v1, labels: {version: v1}}]
                """);

        assertThat(response.getAllowed()).isTrue();
        assertThat(response.getUid()).isEqualTo("u-1");
    }

    @Test
    void aDeleteIsAllowedWithoutLookingAtTheObject() {
        String review = AdmissionJson.write(new AdmissionReviewBuilder().withNewRequest().withUid("u-2")
                .withOperation("DELETE").withNamespace("bookinfo").endRequest().build());

        WebhookAnswer answer = webhook.handle(review);

        assertThat(answer.json()).contains("\"allowed\":true", "\"uid\":\"u-2\"");
    }
}
