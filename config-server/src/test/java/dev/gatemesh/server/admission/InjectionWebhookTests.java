package dev.gatemesh.server.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InjectionWebhookTests {

    private final List<String> looked = new ArrayList<>();
    private final InjectionWebhook webhook = new InjectionWebhook(new SidecarInjector(TestPods.settings(RedirectMode.IPTABLES)),
            namespace -> {
                looked.add(namespace);
                return TestPods.ENABLED;
            });

    private AdmissionResponse send(String kind, String operation, KubernetesResource object) {
        String review = AdmissionJson.write(new AdmissionReviewBuilder().withNewRequest().withUid("u-1")
                .withKind(new GroupVersionKind("", kind, "v1")).withNamespace("bookinfo").withOperation(operation)
                .withObject(object).endRequest().build());
        WebhookAnswer answer = webhook.handle(review);
        assertThat(answer.status()).isEqualTo(200);
        return AdmissionJson.SERIALIZATION.unmarshal(answer.json(), AdmissionReview.class).getResponse();
    }

    @Test
    void theNamespaceOfTheRequestDecidesEvenWhenThePodNamesNone() {
        var pod = TestPods.reviewsPod().editMetadata().withNamespace(null).endMetadata().build();

        AdmissionResponse response = send("Pod", "CREATE", pod);

        assertThat(looked).containsExactly("bookinfo");
        assertThat(response.getPatchType()).isEqualTo("JSONPatch");
    }

    @Test
    void somethingOtherThanAPodCreationIsAllowedUnchangedWithAWarning() {
        AdmissionResponse update = send("Pod", "UPDATE", TestPods.reviews());
        AdmissionResponse configMap = send("ConfigMap", "CREATE", new ConfigMapBuilder().withNewMetadata().withName("x")
                .endMetadata().build());

        assertThat(update.getAllowed()).isTrue();
        assertThat(update.getPatch()).isNull();
        assertThat(update.getWarnings()).singleElement().asString().contains("UPDATE of Pod is allowed unchanged");
        assertThat(configMap.getAllowed()).isTrue();
        assertThat(configMap.getPatch()).isNull();
    }
}
