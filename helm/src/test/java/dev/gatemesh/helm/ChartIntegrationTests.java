package dev.gatemesh.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.api.crd.CustomResourceDefinitions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The chart rendered by the real helm binary, with the default values and with a non-default values file. */
class ChartIntegrationTests {

    static final String NAMESPACE = "gatemesh-system";
    private static final Path CUSTOM = ChartFiles.testValues("values-custom.yaml");

    static Stream<Arguments> valueSets() {
        return Stream.of(Arguments.of("default values", List.of()), Arguments.of("values-custom.yaml", List.of(CUSTOM)));
    }

    private static RenderedChart render(Path... values) {
        return RenderedChart.parse(Helm.render(NAMESPACE, values));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void lintStrictPasses(String name, List<Path> values) {
        Helm.Run lint = Helm.lint(values.toArray(Path[]::new)).requireSuccess();
        assertThat(lint.stdout()).contains("0 chart(s) failed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void everyRenderedDocumentParsesIntoItsTypedModelWithNoUnknownFields(String name, List<Path> values) {
        RenderedChart chart = render(values.toArray(Path[]::new));
        assertThat(chart.documents()).isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < chart.documents().size(); i++) {
            HasMetadata object = chart.documents().get(i);
            if (object instanceof GenericKubernetesResource) {
                problems.add(RenderedChart.describe(object) + " is of a kind fabric8 does not know:\n" + chart.texts().get(i));
            }
            UnknownFields.in(object).forEach(path -> problems.add(RenderedChart.describe(object) + ": unknown field " + path));
        }
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void requiredFieldsArePresentAndReferencesResolve(String name, List<Path> values) {
        assertThat(RequiredFields.missing(render(values.toArray(Path[]::new)))).isEmpty();
    }

    @Test
    void theConfigServerRunsTwoReplicasWithProbesOnTheMeshPortAndItsSettings() {
        RenderedChart chart = render();
        Deployment deployment = chart.get(Deployment.class, "gatemesh-config-server");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("gatemesh-config-server");
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("gatemesh/config-server:0.1.0-SNAPSHOT");
        assertProbe(container.getLivenessProbe(), "/livez");
        assertProbe(container.getStartupProbe(), "/livez");
        assertProbe(container.getReadinessProbe(), "/readyz");

        Map<String, Object> server = path(springProperties(container), "gatemesh", "server");
        assertThat(server).containsEntry("source", "kubernetes").containsEntry("root-namespace", NAMESPACE)
                .containsEntry("trust-domain", "cluster.local");
        assertThat(path(server, "limits")).containsEntry("max-scalar-length", 262144).containsEntry("max-list-length", 1000)
                .containsEntry("max-depth", 64).containsEntry("max-resources", 50000);
        assertThat(path(server, "webhooks")).containsEntry("injector-name", "gatemesh-sidecar-injector")
                .containsEntry("validator-name", "gatemesh-validator");
        Map<String, Object> injection = path(server, "injection");
        assertThat(injection).containsEntry("sidecar-image", "gatemesh/mesh-sidecar:0.1.0-SNAPSHOT")
                .containsEntry("init-image", "gatemesh/proxy-init:0.1.0-SNAPSHOT").containsEntry("redirect", "iptables")
                .containsEntry("proxy-uid", 1337).containsEntry("path-normalization", "BASE")
                .containsEntry("control-plane", "https://gatemesh-config-server.gatemesh-system.svc:15012");
        assertThat(path(injection, "resources", "requests")).containsEntry("memory", "192Mi");
        assertThat(path(springProperties(container), "management", "endpoint", "health", "probes"))
                .containsEntry("add-additional-paths", true);

        Service service = chart.get(Service.class, "gatemesh-config-server");
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort() + "->"
                + p.getTargetPort().getIntVal()).containsExactly("https-mesh:15012->15012", "https-webhook:443->15012");
        assertThat(chart.get(PodDisruptionBudget.class, "gatemesh-config-server").getSpec().getMinAvailable().getIntVal())
                .isEqualTo(1);
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getIntVal()).isEqualTo(15012);
        assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTPS");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> springProperties(Container container) {
        String json = container.getEnv().stream().filter(e -> e.getName().equals("SPRING_APPLICATION_JSON"))
                .map(EnvVar::getValue).findFirst().orElseThrow();
        return RenderedChart.SERIALIZATION.unmarshal(json, Map.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> path(Map<String, Object> map, String... keys) {
        Map<String, Object> node = map;
        for (String key : keys) {
            assertThat(node).as("properties at %s", key).containsKey(key);
            node = (Map<String, Object>) node.get(key);
        }
        return node;
    }

    @Test
    void theWebhooksCallTheConfigServerAsTheContractSays() {
        RenderedChart chart = render();
        MutatingWebhook injector = chart.get(MutatingWebhookConfiguration.class, "gatemesh-sidecar-injector")
                .getWebhooks().get(0);
        assertThat(injector.getName()).isEqualTo("sidecar-injector.gatemesh.dev");
        assertThat(injector.getClientConfig().getService().getPath()).isEqualTo("/inject");
        assertThat(injector.getClientConfig().getService().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(injector.getClientConfig().getCaBundle()).as("the config server patches it").isNull();
        assertThat(injector.getNamespaceSelector().getMatchLabels()).containsExactly(Map.entry("gatemesh-injection", "enabled"));
        assertThat(injector.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getOperations()).containsExactly("CREATE");
            assertThat(rule.getResources()).containsExactly("pods");
        });
        assertThat(injector.getFailurePolicy()).isEqualTo("Fail");
        assertThat(injector.getSideEffects()).isEqualTo("None");
        assertThat(injector.getReinvocationPolicy()).isEqualTo("Never");

        ValidatingWebhook validator = chart.get(ValidatingWebhookConfiguration.class, "gatemesh-validator")
                .getWebhooks().get(0);
        assertThat(validator.getName()).isEqualTo("validation.gatemesh.dev");
        assertThat(validator.getClientConfig().getService().getPath()).isEqualTo("/validate");
        assertThat(validator.getFailurePolicy()).isEqualTo("Fail");
        List<String> validated = validator.getRules().stream().flatMap(rule -> {
            assertThat(rule.getOperations()).containsExactly("CREATE", "UPDATE");
            return rule.getResources().stream().map(r -> r + "." + rule.getApiGroups().get(0));
        }).toList();
        assertThat(validated).as("every Gatemesh kind").containsExactlyInAnyOrderElementsOf(CustomResourceDefinitions.all()
                .stream().map(crd -> (String) ((Map<?, ?>) crd.get("metadata")).get("name")).toList());
    }

    @Test
    void theGatewaysCarryTheLabelsGatewaySelectorsUseAndIngressIsALoadBalancerThatMayReadSecrets() {
        RenderedChart chart = render();
        Deployment ingress = chart.get(Deployment.class, "gatemesh-ingressgateway");
        assertThat(ingress.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("istio", "ingressgateway").containsEntry("gatemesh", "ingressgateway");
        Map<String, Object> proxy = path(springProperties(ingress.getSpec().getTemplate().getSpec().getContainers().get(0)),
                "gatemesh", "proxy");
        assertThat(proxy).containsEntry("role", "INGRESS_GATEWAY");
        assertThat(path(proxy, "labels")).containsEntry("istio", "ingressgateway");
        assertThat(chart.get(Service.class, "gatemesh-ingressgateway").getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(chart.get(Role.class, "gatemesh-ingressgateway").getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getResources()).containsExactly("secrets");
            assertThat(rule.getVerbs()).containsExactly("list", "watch");
        });
        assertThat(ingress.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v -> assertThat(
                v.getProjected().getSources().get(0).getServiceAccountToken().getAudience()).isEqualTo("gatemesh"));

        Deployment egress = chart.get(Deployment.class, "gatemesh-egressgateway");
        assertThat(egress.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("istio", "egressgateway");
        assertThat(path(springProperties(egress.getSpec().getTemplate().getSpec().getContainers().get(0)), "gatemesh", "proxy"))
                .containsEntry("role", "EGRESS_GATEWAY");
        assertThat(chart.get(Service.class, "gatemesh-egressgateway").getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(chart.find(ServiceAccount.class, "gatemesh-egressgateway")).isPresent();
    }

    @Test
    void theCrdsOfEveryGatemeshKindAreInstalledByDefault() {
        assertThat(render().all(CustomResourceDefinition.class)).extracting(c -> c.getMetadata().getName())
                .containsExactlyElementsOf(CustomResourceDefinitions.all().stream()
                        .map(crd -> (String) ((Map<?, ?>) crd.get("metadata")).get("name")).toList());
    }

    @Test
    void nonDefaultValuesReachTheObjects() {
        RenderedChart chart = render(CUSTOM);
        assertThat(chart.all(CustomResourceDefinition.class)).as("crds.install=false").isEmpty();
        assertThat(chart.find(Deployment.class, "gatemesh-egressgateway")).as("egressGateway.enabled=false").isEmpty();
        Deployment deployment = chart.get(Deployment.class, "gatemesh-config-server");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("registry.example.com/platform/gatemesh/config-server:1.2.4");
        assertThat(container.getImagePullPolicy()).isEqualTo("Always");
        assertThat(deployment.getSpec().getTemplate().getSpec().getImagePullSecrets()).extracting(s -> s.getName())
                .containsExactly("regcred");
        Map<String, Object> server = path(springProperties(container), "gatemesh", "server");
        assertThat(server).containsEntry("trust-domain", "example.org");
        assertThat(path(server, "ca")).containsEntry("default-ttl", "12h");
        assertThat(path(server, "injection")).containsEntry("redirect", "http-proxy").containsEntry("proxy-uid", 2000)
                .containsEntry("path-normalization", "MERGE_SLASHES")
                .containsEntry("sidecar-image", "registry.example.com/platform/gatemesh/mesh-sidecar:1.2.3")
                .containsEntry("control-plane", "https://config.mesh.example.org:15012");
        assertThat(path(server, "webhooks")).containsEntry("injector-name", "mesh-injector");
        assertThat(chart.get(ValidatingWebhookConfiguration.class, "mesh-validator").getWebhooks().get(0).getFailurePolicy())
                .isEqualTo("Ignore");
        assertThat(chart.find(MutatingWebhookConfiguration.class, "mesh-injector")).isPresent();

        // Named as Istio names it, so that Istio's manifests find the host istio-ingressgateway.<namespace>.
        Service ingress = chart.get(Service.class, "istio-ingressgateway");
        assertThat(ingress.getSpec().getType()).isEqualTo("NodePort");
        assertThat(ingress.getSpec().getPorts()).extracting(p -> p.getPort() + "->" + p.getTargetPort().getIntVal())
                .containsExactly("8080->8081", "8443->8443");
        assertThat(chart.find(PodDisruptionBudget.class, "istio-ingressgateway")).as("one replica: no PDB").isEmpty();
        Deployment ingressPods = chart.get(Deployment.class, "istio-ingressgateway");
        assertThat(ingressPods.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "edge");
        assertThat(path(springProperties(ingressPods.getSpec().getTemplate().getSpec().getContainers().get(0)), "gatemesh",
                "proxy")).as("mesh.pathNormalization").containsEntry("path-normalization", "MERGE_SLASHES");
        assertThat(ingressPods.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("istio-ingressgateway");
        assertThat(chart.get(RoleBinding.class, "istio-ingressgateway").getSubjects()).singleElement()
                .satisfies(subject -> assertThat(subject.getName()).isEqualTo("istio-ingressgateway"));
        assertThat(chart.find(Service.class, "gatemesh-ingressgateway")).isEmpty();
    }

    @Test
    void valuesOfTheWrongTypeAreRefusedNamingTheValue() {
        Helm.Run run = Helm.template(NAMESPACE, List.of(), "configServer.replicas=two", "injection.redirect=tproxy");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("/configServer/replicas").contains("/injection/redirect");
    }

}
