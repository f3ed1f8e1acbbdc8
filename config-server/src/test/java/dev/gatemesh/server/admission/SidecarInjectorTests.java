package dev.gatemesh.server.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SidecarInjectorTests {

    private final SidecarInjector injector = new SidecarInjector(TestPods.settings(RedirectMode.IPTABLES));

    private Pod injected(Pod pod) {
        InjectionDecision decision = injector.inject(pod, "bookinfo", TestPods.ENABLED);
        assertThat(decision).isInstanceOf(InjectionDecision.Injected.class);
        return ((InjectionDecision.Injected) decision).pod();
    }

    private static Map<String, EnvVar> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    @Test
    void theSidecarIsANativeSidecarAfterTheRedirectAndBeforeTheAppsInitContainers() {
        Pod pod = injected(TestPods.reviews());

        assertThat(pod.getSpec().getInitContainers()).extracting(Container::getName)
                .containsExactly("gatemesh-init", "gatemesh-proxy", "migrate");
        assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("reviews");
        Container sidecar = pod.getSpec().getInitContainers().get(1);
        assertThat(sidecar.getRestartPolicy()).isEqualTo("Always");
        assertThat(sidecar.getImage()).isEqualTo("gatemesh/mesh-sidecar:test");
        assertThat(sidecar.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz/ready");
        assertThat(sidecar.getStartupProbe().getHttpGet().getPort().getIntVal()).isEqualTo(15021);
        assertThat(sidecar.getStartupProbe().getPeriodSeconds()).isEqualTo(1);
        assertThat(sidecar.getSecurityContext().getRunAsUser()).isEqualTo(1337L);
        assertThat(sidecar.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(sidecar.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(sidecar.getResources().getRequests()).isEqualTo(Map.of("cpu", new Quantity("100m"),
                "memory", new Quantity("256Mi")));
        assertThat(sidecar.getResources().getLimits()).isEqualTo(Map.of("memory", new Quantity("512Mi")));
    }

    @Test
    void theKubeletProbesTheProbeListenerWhileTheManagementPortStaysOnLoopback() {
        Container sidecar = injected(TestPods.reviews()).getSpec().getInitContainers().get(1);
        Map<String, EnvVar> env = env(sidecar);

        assertThat(env.get("GATEMESH_PROXY_PROBE_PORT").getValue()).isEqualTo("15021");
        assertThat(env).doesNotContainKeys("SERVER_ADDRESS", "SERVER_PORT", "MANAGEMENT_SERVER_ADDRESS");
        for (var probe : List.of(sidecar.getStartupProbe(), sidecar.getReadinessProbe(), sidecar.getLivenessProbe())) {
            assertThat(probe.getHttpGet().getPort().getIntVal()).isEqualTo(15021);
        }
        assertThat(sidecar.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz/ready");
        assertThat(sidecar.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
        assertThat(sidecar.getPorts()).extracting(p -> p.getContainerPort()).containsExactly(15006, 15021);
    }

    @Test
    void theSidecarIsConfiguredThroughMeshProxysPropertiesWithItsIdentityFromTheDownwardApi() {
        Container sidecar = injected(TestPods.reviews()).getSpec().getInitContainers().get(1);
        Map<String, EnvVar> env = env(sidecar);

        assertThat(env.get("GATEMESH_PROXY_ID").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env.get("GATEMESH_PROXY_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(env.get("GATEMESH_PROXY_SERVICEACCOUNT").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("spec.serviceAccountName");
        assertThat(env.get("GATEMESH_PROXY_CONTROLPLANE").getValue())
                .isEqualTo("https://gatemesh-config-server.gatemesh-system.svc:15012");
        assertThat(env.get("GATEMESH_PROXY_APP_PORTS").getValue()).isEqualTo("9080,9081");
        assertThat(env.get("GATEMESH_PROXY_CREDENTIALFILE").getValue()).isEqualTo("/var/run/secrets/gatemesh/token/token");
        assertThat(env.get("GATEMESH_PROXY_ROOTCERT").getValue()).isEqualTo("/var/run/gatemesh/trust/root-cert.pem");
        assertThat(sidecar.getVolumeMounts()).extracting(m -> m.getName() + ":" + m.getMountPath()).containsExactly(
                "gatemesh-token:/var/run/secrets/gatemesh/token", "gatemesh-trust-bundle:/var/run/gatemesh/trust");
    }

    @Test
    void thePodGetsAGatemeshAudienceTokenTheTrustBundleAndTheAnnotationsTheRegistryReads() {
        Pod pod = injected(TestPods.reviews());

        assertThat(pod.getSpec().getVolumes()).extracting(v -> v.getName())
                .containsExactly("data", "gatemesh-token", "gatemesh-trust-bundle");
        var token = pod.getSpec().getVolumes().get(1).getProjected().getSources().get(0).getServiceAccountToken();
        assertThat(token.getAudience()).isEqualTo("gatemesh");
        assertThat(token.getPath()).isEqualTo("token");
        assertThat(pod.getSpec().getVolumes().get(2).getConfigMap().getName()).isEqualTo("gatemesh-ca-root-cert");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("sidecar.gatemesh.dev/inboundPort", "15006");
        assertThat(pod.getMetadata().getAnnotations().get("sidecar.gatemesh.dev/status"))
                .isEqualTo("{\"initContainers\":[\"gatemesh-init\",\"gatemesh-proxy\"],"
                        + "\"volumes\":[\"gatemesh-token\",\"gatemesh-trust-bundle\"],\"redirect\":\"iptables\"}");
    }

    @Test
    void theRedirectInitContainerRunsAsRootWithOnlyTheNetworkCapabilities() {
        Container init = injected(TestPods.reviews()).getSpec().getInitContainers().get(0);

        assertThat(init.getImage()).isEqualTo("gatemesh/proxy-init:test");
        assertThat(init.getRestartPolicy()).isNull();
        assertThat(init.getSecurityContext().getRunAsUser()).isZero();
        assertThat(init.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN", "NET_RAW");
        assertThat(init.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(init.getCommand()).containsExactly("sh", "-c");
        assertThat(init.getArgs().get(0)).contains("--uid-owner 1337 -j RETURN", "--dport 443 -j RETURN",
                "REDIRECT --to-ports 15001");
    }

    @Test
    void injectingAnInjectedPodChangesNothing() {
        Pod once = injected(TestPods.reviews());

        assertThat(injector.inject(once, "bookinfo", TestPods.ENABLED))
                .isEqualTo(new InjectionDecision.Skipped("the pod already has its sidecar"));
    }

    @Test
    void aPodWithAContainerOfTheSidecarsNameCountsAsInjected() {
        Pod pod = TestPods.reviewsPod().editSpec().addNewInitContainer().withName("gatemesh-proxy").withImage("x")
                .endInitContainer().endSpec().build();

        assertThat(injector.inject(pod, "bookinfo", TestPods.ENABLED)).isInstanceOf(InjectionDecision.Skipped.class);
    }

    @Test
    void aPodOptsOutWithTheAnnotationOrTheLabel() {
        Pod annotated = TestPods.reviewsPod().editMetadata().addToAnnotations("sidecar.gatemesh.dev/inject", "false")
                .endMetadata().build();
        Pod labelled = TestPods.reviewsPod().editMetadata().addToLabels("sidecar.gatemesh.dev/inject", "false")
                .endMetadata().build();

        assertThat(injector.inject(annotated, "bookinfo", TestPods.ENABLED))
                .isEqualTo(new InjectionDecision.Skipped("the pod opts out (sidecar.gatemesh.dev/inject: false)"));
        assertThat(injector.inject(labelled, "bookinfo", TestPods.ENABLED)).isInstanceOf(InjectionDecision.Skipped.class);
    }

    @Test
    void istiosSwitchOptsOutWhenGatemeshsIsAbsent() {
        Pod istio = TestPods.reviewsPod().editMetadata().addToAnnotations("sidecar.istio.io/inject", "false")
                .endMetadata().build();
        Pod both = TestPods.reviewsPod().editMetadata().addToAnnotations("sidecar.istio.io/inject", "false")
                .addToAnnotations("sidecar.gatemesh.dev/inject", "true").endMetadata().build();

        assertThat(injector.inject(istio, "bookinfo", TestPods.ENABLED))
                .isEqualTo(new InjectionDecision.Skipped("the pod opts out (sidecar.istio.io/inject: false)"));
        assertThat(injector.inject(both, "bookinfo", TestPods.ENABLED)).isInstanceOf(InjectionDecision.Injected.class);
    }

    @Test
    void theAnnotationWinsOverTheLabel() {
        Pod pod = TestPods.reviewsPod().editMetadata().addToAnnotations("sidecar.gatemesh.dev/inject", "true")
                .addToLabels("sidecar.gatemesh.dev/inject", "false").endMetadata().build();

        assertThat(injector.inject(pod, "bookinfo", TestPods.ENABLED)).isInstanceOf(InjectionDecision.Injected.class);
    }

    @Test
    void podsOfNamespacesWithoutTheLabelOrOfTheSystemOrOnTheHostNetworkAreLeftAlone() {
        assertThat(injector.inject(TestPods.reviews(), "bookinfo", Map.of("gatemesh-injection", "disabled")))
                .isEqualTo(new InjectionDecision.Skipped("namespace bookinfo is not labelled gatemesh-injection=enabled"));
        assertThat(injector.inject(TestPods.reviews(), "kube-system", null)).isInstanceOf(InjectionDecision.Skipped.class);
        Pod host = TestPods.reviewsPod().editSpec().withHostNetwork(true).endSpec().build();
        assertThat(injector.inject(host, "bookinfo", TestPods.ENABLED)).isInstanceOf(InjectionDecision.Skipped.class);
    }

    @Test
    void unknownNamespaceLabelsLeaveTheDecisionToTheCaller() {
        assertThat(injector.inject(TestPods.reviews(), "bookinfo", null)).isInstanceOf(InjectionDecision.Injected.class);
    }

    @Test
    void annotationsOverrideTheSidecarsResourcesAndTheRedirect() {
        Pod pod = TestPods.reviewsPod().editMetadata()
                .addToAnnotations("sidecar.gatemesh.dev/proxyCPU", "250m")
                .addToAnnotations("sidecar.gatemesh.dev/proxyMemoryLimit", "1Gi")
                .addToAnnotations("sidecar.gatemesh.dev/proxyCPULimit", "1")
                .addToAnnotations("sidecar.gatemesh.dev/redirect", "http-proxy").endMetadata().build();

        Pod injected = injected(pod);

        assertThat(injected.getSpec().getInitContainers()).extracting(Container::getName)
                .containsExactly("gatemesh-proxy", "migrate");
        Container sidecar = injected.getSpec().getInitContainers().get(0);
        assertThat(sidecar.getResources().getRequests()).isEqualTo(Map.of("cpu", new Quantity("250m"),
                "memory", new Quantity("256Mi")));
        assertThat(sidecar.getResources().getLimits()).isEqualTo(Map.of("cpu", new Quantity("1"),
                "memory", new Quantity("1Gi")));
    }

    @Test
    void httpProxyModePointsEveryAppContainerAtTheOutboundListenerAndKeepsTheirOwnSettings() {
        InjectionSettings settings = TestPods.settings(RedirectMode.HTTP_PROXY);
        Pod pod = TestPods.reviewsPod().editSpec().editFirstContainer()
                .addNewEnv().withName("JAVA_TOOL_OPTIONS").withValue("-Xmx64m").endEnv()
                .addNewEnv().withName("NO_PROXY").withValue("internal.example").endEnv()
                .endContainer().endSpec().build();

        Pod injected = ((InjectionDecision.Injected) new SidecarInjector(settings).inject(pod, "bookinfo", TestPods.ENABLED)).pod();

        Map<String, EnvVar> app = env(injected.getSpec().getContainers().get(0));
        assertThat(app.get("HTTP_PROXY").getValue()).isEqualTo("http://127.0.0.1:15001");
        assertThat(app.get("http_proxy").getValue()).isEqualTo("http://127.0.0.1:15001");
        assertThat(app.get("no_proxy").getValue()).isEqualTo("localhost,127.0.0.1,::1");
        assertThat(app.get("NO_PROXY").getValue()).isEqualTo("internal.example");
        assertThat(app.get("JAVA_TOOL_OPTIONS").getValue()).isEqualTo(
                "-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=15001 -Dhttp.nonProxyHosts=localhost|127.*|[::1] -Xmx64m");
        Map<String, EnvVar> migrate = env(injected.getSpec().getInitContainers().get(1));
        assertThat(migrate.get("HTTP_PROXY").getValue()).isEqualTo("http://127.0.0.1:15001");
        assertThat(injected.getSpec().getInitContainers()).extracting(Container::getName).doesNotContain("gatemesh-init");
        assertThat(injected.getMetadata().getAnnotations().get("sidecar.gatemesh.dev/status")).contains("\"http-proxy\"");
    }

    @Test
    void excludedPortsAndRangesReachTheRedirectRules() {
        Pod pod = TestPods.reviewsPod().editMetadata()
                .addToAnnotations("sidecar.gatemesh.dev/excludeOutboundPorts", "5432, 443,3306")
                .addToAnnotations("sidecar.gatemesh.dev/excludeOutboundIPRanges", "10.96.0.1/32").endMetadata().build();

        String script = injected(pod).getSpec().getInitContainers().get(0).getArgs().get(0);

        assertThat(script).contains("--dport 443 -j RETURN\niptables -t nat -A GATEMESH_OUTPUT -p tcp --dport 5432 -j RETURN\n"
                + "iptables -t nat -A GATEMESH_OUTPUT -p tcp --dport 3306 -j RETURN\n", "-d 10.96.0.1/32 -j RETURN");
    }

    @Test
    void unusableAnnotationsRefuseThePodNamingEachFieldValueAndWhatIsExpected() {
        Pod pod = TestPods.reviewsPod().editMetadata()
                .addToAnnotations("sidecar.gatemesh.dev/proxyCPU", "lots")
                .addToAnnotations("sidecar.gatemesh.dev/redirect", "ebpf")
                .addToAnnotations("sidecar.gatemesh.dev/excludeOutboundPorts", "443,http")
                .addToAnnotations("sidecar.gatemesh.dev/excludeOutboundIPRanges", "10.0.0.0/33").endMetadata().build();

        InjectionDecision decision = injector.inject(pod, "bookinfo", TestPods.ENABLED);

        assertThat(decision).isInstanceOf(InjectionDecision.Refused.class);
        assertThat(((InjectionDecision.Refused) decision).problems()).containsExactly(
                "metadata.annotations[\"sidecar.gatemesh.dev/redirect\"]: \"ebpf\" is not a redirect mode; expected "
                        + "iptables or http-proxy",
                "metadata.annotations[\"sidecar.gatemesh.dev/proxyCPU\"]: \"lots\" is not a quantity; expected e.g. 100m "
                        + "or 0.5",
                "metadata.annotations[\"sidecar.gatemesh.dev/excludeOutboundPorts\"]: \"http\" is not a port; expected "
                        + "comma-separated numbers between 1 and 65535",
                "metadata.annotations[\"sidecar.gatemesh.dev/excludeOutboundIPRanges\"]: \"10.0.0.0/33\" is not an IPv4 "
                        + "address or CIDR; expected e.g. 10.96.0.1/32");
    }

    @Test
    void anInjectSwitchThatIsNeitherTrueNorFalseIsRefused() {
        Pod pod = TestPods.reviewsPod().editMetadata().addToAnnotations("sidecar.gatemesh.dev/inject", "maybe")
                .endMetadata().build();

        assertThat(injector.inject(pod, "bookinfo", TestPods.ENABLED)).isEqualTo(new InjectionDecision.Refused(List.of(
                "metadata.annotations[\"sidecar.gatemesh.dev/inject\"]: \"maybe\" is not a switch; expected \"true\" or "
                        + "\"false\"")));
    }

    @Test
    void aPodWithoutContainersIsRefused() {
        Pod pod = new PodBuilder().withNewMetadata().withName("empty").endMetadata().withNewSpec().endSpec().build();

        assertThat(injector.inject(pod, "bookinfo", TestPods.ENABLED)).isInstanceOf(InjectionDecision.Refused.class);
    }
}
