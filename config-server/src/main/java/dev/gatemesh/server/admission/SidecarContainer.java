package dev.gatemesh.server.admission;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import dev.gatemesh.server.ca.KubernetesCaStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The sidecar as a native sidecar (an init container with {@code restartPolicy: Always}): Kubernetes starts the
 * containers after it only once its startup probe passes, and the sidecar reports ready only with a workload
 * certificate and its first configuration, so the app never starts before its proxy can route. It stops after the
 * app's containers, so a Job completes and a rolling pod drains through a live proxy. Its settings are
 * mesh-proxy's properties as environment variables.
 */
final class SidecarContainer {

    static final String TOKEN_PATH = "/var/run/secrets/gatemesh/token";
    static final String TRUST_PATH = "/var/run/gatemesh/trust";
    /** How long a projected token lives; the kubelet refreshes it at 80%. */
    static final long TOKEN_SECONDS = 43_200;
    /** Istio's readiness path on its health port, served by the sidecar's probe listener as well. */
    static final String READINESS_PATH = "/healthz/ready";
    static final String LIVENESS_PATH = "/livez";

    private SidecarContainer() {
    }

    static Container build(InjectionSettings settings, PodOverrides overrides, List<Integer> appPorts,
                           Map<String, String> podLabels) {
        ContainerBuilder container = new ContainerBuilder()
                .withName(InjectionAnnotations.SIDECAR_CONTAINER)
                .withImage(settings.sidecarImage())
                .withImagePullPolicy(settings.imagePullPolicy())
                .withRestartPolicy("Always")
                .addNewPort().withName("gm-inbound").withContainerPort(InjectionSettings.INBOUND_PORT).withProtocol("TCP")
                .endPort()
                .addNewPort().withName("gm-probe").withContainerPort(InjectionSettings.PROBE_PORT)
                .withProtocol("TCP").endPort()
                .withEnv(env(settings, appPorts, podLabels))
                .withNewResources().withRequests(quantities(overrides.requests())).withLimits(quantities(overrides.limits()))
                .endResources()
                .withNewSecurityContext()
                .withRunAsUser(settings.proxyUid()).withRunAsGroup(settings.proxyUid()).withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false).withPrivileged(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                // Checked every second, for up to ten minutes: the app starts as soon as the proxy is ready.
                .withStartupProbe(probe(READINESS_PATH, 1, 600))
                .withReadinessProbe(probe(READINESS_PATH, 5, 3))
                .withLivenessProbe(probe(LIVENESS_PATH, 15, 4))
                .addNewVolumeMount().withName(InjectionAnnotations.TOKEN_VOLUME).withMountPath(TOKEN_PATH).withReadOnly(true)
                .endVolumeMount()
                .addNewVolumeMount().withName(InjectionAnnotations.TRUST_VOLUME).withMountPath(TRUST_PATH).withReadOnly(true)
                .endVolumeMount();
        return container.build();
    }

    /** The projected token (audience {@code gatemesh}) the CA checks, and the trust bundle the config server publishes. */
    static List<Volume> volumes() {
        Volume token = new VolumeBuilder().withName(InjectionAnnotations.TOKEN_VOLUME)
                .withNewProjected().addNewSource().withNewServiceAccountToken()
                .withAudience("gatemesh").withExpirationSeconds(TOKEN_SECONDS).withPath("token")
                .endServiceAccountToken().endSource().endProjected().build();
        Volume trust = new VolumeBuilder().withName(InjectionAnnotations.TRUST_VOLUME)
                .withNewConfigMap().withName(KubernetesCaStore.TRUST_BUNDLE_CONFIG_MAP).endConfigMap().build();
        return List.of(token, trust);
    }

    private static List<EnvVar> env(InjectionSettings settings, List<Integer> appPorts, Map<String, String> podLabels) {
        List<EnvVar> env = new ArrayList<>();
        env.add(fieldRef("GATEMESH_PROXY_ID", "metadata.name"));
        env.add(fieldRef("GATEMESH_PROXY_NAMESPACE", "metadata.namespace"));
        env.add(fieldRef("GATEMESH_PROXY_SERVICEACCOUNT", "spec.serviceAccountName"));
        env.add(value("GATEMESH_PROXY_CONTROLPLANE", settings.controlPlane().toString()));
        env.add(value("GATEMESH_PROXY_ROOTCERT", TRUST_PATH + "/root-cert.pem"));
        env.add(value("GATEMESH_PROXY_CREDENTIALFILE", TOKEN_PATH + "/token"));
        env.add(value("GATEMESH_PROXY_TRUSTDOMAIN", settings.trustDomain()));
        env.add(value("GATEMESH_PROXY_ROOTNAMESPACE", settings.rootNamespace()));
        env.add(value("GATEMESH_PROXY_DOMAINSUFFIX", settings.domainSuffix()));
        env.add(value("GATEMESH_PROXY_PATHNORMALIZATION", settings.pathNormalization()));
        env.add(value("GATEMESH_PROXY_INBOUND_PORT", Integer.toString(InjectionSettings.INBOUND_PORT)));
        env.add(value("GATEMESH_PROXY_OUTBOUND_PORT", Integer.toString(InjectionSettings.OUTBOUND_PORT)));
        if (!appPorts.isEmpty()) {
            env.add(value("GATEMESH_PROXY_APP_PORTS", appPorts.stream().map(String::valueOf)
                    .collect(Collectors.joining(","))));
        }
        // Labels may hold dots and slashes, which environment variable names cannot carry: JSON can, with each key in
        // brackets so that Spring keeps it whole.
        env.add(value("SPRING_APPLICATION_JSON", labelsJson(podLabels)));
        // The kubelet probes the pod's address: the probe-only listener answers there with a status and nothing else,
        // while the management port (actuator: metrics, identity, config version) stays on loopback.
        env.add(value("GATEMESH_PROXY_PROBE_PORT", Integer.toString(InjectionSettings.PROBE_PORT)));
        env.add(value("MANAGEMENT_ENDPOINT_HEALTH_SHOWDETAILS", "never"));
        return env;
    }

    static String labelsJson(Map<String, String> labels) {
        Map<String, String> sorted = new TreeMap<>(labels);
        Map<String, Object> bracketed = new LinkedHashMap<>();
        sorted.forEach((key, value) -> bracketed.put("[" + key + "]", value));
        Map<String, Object> root = Map.of("gatemesh", Map.of("proxy", Map.of("labels", bracketed)));
        return AdmissionJson.write(root);
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString(InjectionSettings.PROBE_PORT))
                .withScheme("HTTP").endHttpGet()
                .withPeriodSeconds(periodSeconds).withFailureThreshold(failureThreshold).withTimeoutSeconds(3).build();
    }

    private static Map<String, Quantity> quantities(Map<String, String> values) {
        Map<String, Quantity> out = new TreeMap<>();
        values.forEach((name, value) -> out.put(name, new Quantity(value)));
        return out;
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar fieldRef(String name, String path) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withApiVersion("v1").withFieldPath(path)
                .endFieldRef().endValueFrom().build();
    }
}
