package dev.gatemesh.server.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.JsonPatch;
import org.junit.jupiter.api.Test;

/** The patch is checked by applying it with fabric8's zjsonpatch, an applier written independently of ours. */
class JsonPatchDiffTests {

    private static JsonNode json(String text) throws Exception {
        return AdmissionJson.mapper().readTree(text);
    }

    @Test
    void thePatchTurnsTheSourceIntoTheTarget() throws Exception {
        JsonNode source = json("{\"a\":1,\"b\":{\"c\":[1,2],\"d\":\"x\"},\"gone\":true,\"list\":[{\"n\":1},{\"n\":2}]}");
        JsonNode target = json("{\"a\":2,\"b\":{\"c\":[1,2,3],\"d\":\"x\",\"e\":null},\"list\":[{\"n\":1},{\"n\":3}],\"new\":{}}");

        JsonNode patch = JsonPatchDiff.diff(source, target);

        assertThat(JsonPatch.apply(patch, source)).isEqualTo(target);
        assertThat(patch.toString()).isEqualTo("[{\"op\":\"remove\",\"path\":\"/gone\"},"
                + "{\"op\":\"replace\",\"path\":\"/a\",\"value\":2},"
                + "{\"op\":\"replace\",\"path\":\"/b/c\",\"value\":[1,2,3]},"
                + "{\"op\":\"add\",\"path\":\"/b/e\",\"value\":null},"
                + "{\"op\":\"replace\",\"path\":\"/list/1/n\",\"value\":3},"
                + "{\"op\":\"add\",\"path\":\"/new\",\"value\":{}}]");
    }

    @Test
    void memberNamesWithSlashesAndTildesAreEscaped() throws Exception {
        JsonNode source = json("{\"annotations\":{}}");
        JsonNode target = json("{\"annotations\":{\"sidecar.gatemesh.dev/status\":\"x\",\"a~b\":\"y\"}}");

        JsonNode patch = JsonPatchDiff.diff(source, target);

        assertThat(patch.get(0).get("path").asText()).isEqualTo("/annotations/sidecar.gatemesh.dev~1status");
        assertThat(patch.get(1).get("path").asText()).isEqualTo("/annotations/a~0b");
        assertThat(JsonPatch.apply(patch, source)).isEqualTo(target);
    }

    @Test
    void equalDocumentsNeedNoPatch() throws Exception {
        assertThat(JsonPatchDiff.diff(json("{\"a\":[1,{\"b\":2}]}"), json("{\"a\":[1,{\"b\":2}]}"))).isEmpty();
    }

    @Test
    void theInjectionPatchAppliedToTheOriginalPodGivesTheInjectedPod() {
        Pod original = TestPods.reviews();
        Pod injected = ((InjectionDecision.Injected) new SidecarInjector(TestPods.settings(RedirectMode.IPTABLES))
                .inject(original, "bookinfo", TestPods.ENABLED)).pod();

        JsonNode patch = JsonPatchDiff.diff(AdmissionJson.tree(original), AdmissionJson.tree(injected));
        Pod patched = AdmissionJson.SERIALIZATION.convertValue(JsonPatch.apply(patch, AdmissionJson.tree(original)), Pod.class);

        assertThat(patched).isEqualTo(injected);
    }
}
