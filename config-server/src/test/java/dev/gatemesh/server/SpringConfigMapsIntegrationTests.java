package dev.gatemesh.server;

import static dev.gatemesh.api.testing.Waits.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatemesh.server.springconfig.KubernetesSpringConfigSource;
import dev.gatemesh.server.springconfig.SpringPropertiesStore;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring properties from labelled ConfigMaps, on fabric8's API server mock in CRUD mode (with a TokenReview
 * that knows one service-account token): served with the config protocol to the applications the token's service
 * account runs, edits applied live, a bad edit reported with the ConfigMap, key and line while the last good
 * content stays served.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringConfigMapsIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOKEN = "gw-service-account-token";

    @TempDir
    Path home;
    private KubernetesMockServer mock;
    private KubernetesClient client;
    private RunningConfigServer server;

    /** CRUD, except TokenReview, which answers as Kubernetes would for the one token this test knows. */
    private static final class CrudWithTokenReview extends KubernetesCrudDispatcher {
        private final KubernetesSerialization serialization = new KubernetesSerialization();

        CrudWithTokenReview() {
            super(List.of());
        }

        @Override
        public MockResponse handleCreate(RecordedRequest request) {
            if (!request.getPath().startsWith("/apis/authentication.k8s.io/v1/tokenreviews")) {
                return super.handleCreate(request);
            }
            var asked = serialization.unmarshal(request.getBody().readUtf8(),
                    io.fabric8.kubernetes.api.model.authentication.TokenReview.class);
            boolean known = TOKEN.equals(asked.getSpec().getToken());
            var answer = new TokenReviewBuilder(asked).withNewStatus().withAuthenticated(known)
                    .withAudiences(known ? List.of("gatemesh") : List.of())
                    .withNewUser().withUsername(known ? "system:serviceaccount:edge:gw" : null).endUser()
                    .withError(known ? null : "invalid bearer token").endStatus().build();
            return new MockResponse().setResponseCode(201).setBody(serialization.asJson(answer));
        }
    }

    @BeforeEach
    void start() throws Exception {
        mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new CrudWithTokenReview(), false);
        mock.init(java.net.InetAddress.getLoopbackAddress(), 0);
        client = mock.createClient();
        applyConfigMap("edge", "gw", "greeting: hi\n");
        server = RunningConfigServer.kubernetes(client.getMasterUrl().toString(), home);
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
        mock.destroy();
    }

    private void applyConfigMap(String namespace, String name, String yaml) {
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).addToLabels(KubernetesSpringConfigSource.LABEL, "true").endMetadata()
                .addToData("application.yml", yaml).build()).createOr(existing -> existing.update());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newBuilder().sslContext(server.serverOnlyTls()).build().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstSource(String body) {
        var sources = (List<Map<String, Object>>) JSON.readValue(body, Map.class).get("propertySources");
        return sources.isEmpty() ? Map.of() : (Map<String, Object>) sources.get(0).get("source");
    }

    @Test
    void servesALabelledConfigMapToAServiceAccountTokenAndAppliesEditsLive() throws Exception {
        HttpResponse<String> response = get("/gw/default", TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"name\":\"ConfigMap edge/gw application.yml\"");
        assertThat(firstSource(response.body())).containsEntry("greeting", "hi");

        applyConfigMap("edge", "gw", "greeting: hello\n");
        await().atMost(WAIT).untilAsserted(() -> assertThat(firstSource(get("/gw/default", TOKEN).body()))
                .containsEntry("greeting", "hello"));

        applyConfigMap("edge", "gw", "greeting: hello\ngreeting: twice\n");
        SpringPropertiesStore store = server.context().getBean(SpringPropertiesStore.class);
        await().atMost(WAIT).until(() -> !store.problems().isEmpty());
        assertThat(store.problems().get(0).getMessage()).startsWith("ConfigMap edge/gw application.yml:2: not valid YAML")
                .contains("duplicate key greeting");
        assertThat(firstSource(get("/gw/default", TOKEN).body())).containsEntry("greeting", "hello");
    }

    @Test
    void aServiceAccountReadsItsOwnApplicationAndThatOfItsPodsLabelsButNotAnothers(CapturedOutput output)
            throws Exception {
        applyConfigMap("edge", "gw-web", "routes: web\n");
        applyConfigMap("bookinfo", "reviews", "db.password: reviews-secret\n");
        client.services().inNamespace("edge").resource(new ServiceBuilder()
                .withNewMetadata().withName("web").withNamespace("edge").endMetadata()
                .withNewSpec().addNewPort().withName("http").withPort(8080).endPort()
                .addToSelector("app", "gw-web").endSpec().build()).create();
        client.pods().inNamespace("edge").resource(new PodBuilder()
                .withNewMetadata().withName("gw-web-1").withNamespace("edge").addToLabels("app", "gw-web").endMetadata()
                .withNewSpec().withServiceAccountName("gw").addNewContainer().withName("app").withImage("web").endContainer()
                .endSpec().build()).create();
        client.discovery().v1().endpointSlices().inNamespace("edge").resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("web-abc").withNamespace("edge")
                .addToLabels("kubernetes.io/service-name", "web").endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("http").withPort(8080).endPort()
                .addNewEndpoint().withAddresses("10.1.0.7").withNewConditions().withReady(true).endConditions()
                .withNewTargetRef().withKind("Pod").withName("gw-web-1").withNamespace("edge").endTargetRef()
                .endEndpoint()
                .build()).create();

        assertThat(get("/gw/default", TOKEN).statusCode()).isEqualTo(200);
        await().atMost(WAIT).untilAsserted(() -> assertThat(get("/gw-web/default", TOKEN).statusCode()).isEqualTo(200));
        assertThat(firstSource(get("/gw-web/default", TOKEN).body())).containsEntry("routes", "web");

        HttpResponse<String> other = get("/reviews/default", TOKEN);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("\"reason\":\"NOT_ITS_APPLICATION\"").doesNotContain("reviews-secret");
        assertThat(output.getOut()).contains("spring properties refused: reason=NOT_ITS_APPLICATION application=reviews "
                + "caller=spiffe://cluster.local/ns/edge/sa/gw");
    }

    @Test
    void refusesAnonymousCallersAndTokensKubernetesDoesNotAccept() throws Exception {
        HttpResponse<String> anonymous = get("/gw/default", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"reason\":\"NO_CREDENTIAL\"");

        HttpResponse<String> stranger = get("/gw/default", "someone-else");
        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(stranger.body()).contains("\"reason\":\"NOT_PROVEN\"").contains("invalid bearer token")
                .doesNotContain("Exception");
    }
}
