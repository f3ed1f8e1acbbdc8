package dev.gatemesh.server.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatemesh.proxy.path.PathNormalization;
import dev.gatemesh.proxy.boot.MeshProxyProperties;
import dev.gatemesh.proxy.boot.ProbeProperties;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.support.SpringApplicationJsonEnvironmentPostProcessor;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The injected sidecar's environment, resolved as the kubelet would (downward API values filled in) and bound as
 * Spring binds the sidecar's properties: what mesh-proxy actually sees.
 */
class SidecarEnvBindingTests {

    @Test
    void theSidecarsEnvironmentBindsToTheProxysIdentityPortsLabelsAndControlPlane() {
        Pod pod = ((InjectionDecision.Injected) new SidecarInjector(TestPods.settings(RedirectMode.IPTABLES))
                .inject(TestPods.reviews(), "bookinfo", TestPods.ENABLED)).pod();
        Container sidecar = pod.getSpec().getInitContainers().get(1);
        Map<String, String> downward = Map.of("metadata.name", "reviews-v1-5d8f7c-x2b4q", "metadata.namespace", "bookinfo",
                "spec.serviceAccountName", "bookinfo-reviews");
        Map<String, Object> env = new LinkedHashMap<>();
        for (EnvVar var : sidecar.getEnv()) {
            env.put(var.getName(), var.getValueFrom() != null ? downward.get(var.getValueFrom().getFieldRef().getFieldPath())
                    : var.getValue());
        }
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        new SpringApplicationJsonEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());

        MeshProxyProperties properties = Binder.get(environment).bind("gatemesh.proxy", MeshProxyProperties.class).get();

        assertThat(properties.id()).isEqualTo("reviews-v1-5d8f7c-x2b4q");
        assertThat(properties.namespace()).isEqualTo("bookinfo");
        assertThat(properties.serviceAccount()).isEqualTo("bookinfo-reviews");
        assertThat(properties.labels()).isEqualTo(Map.of("app", "reviews", "version", "v1",
                "app.kubernetes.io/part-of", "bookinfo"));
        assertThat(properties.controlPlane()).isEqualTo(URI.create("https://gatemesh-config-server.gatemesh-system.svc:15012"));
        assertThat(properties.credentialFile()).isEqualTo(Path.of("/var/run/secrets/gatemesh/token/token"));
        assertThat(properties.rootCert()).isEqualTo(Path.of("/var/run/gatemesh/trust/root-cert.pem"));
        assertThat(properties.app().ports()).isEqualTo(List.of(9080, 9081));
        assertThat(properties.outbound().port()).isEqualTo(15001);
        assertThat(properties.inbound().port()).isEqualTo(15006);
        assertThat(properties.rootNamespace()).isEqualTo("gatemesh-system");
        assertThat(properties.pathNormalization()).isEqualTo(PathNormalization.MERGE_SLASHES);
        // The probe listener on the pod's address; the management port keeps the sidecar's own default (loopback).
        ProbeProperties probe = Binder.get(environment).bind("gatemesh.proxy.probe", ProbeProperties.class).get();
        assertThat(probe.port()).isEqualTo(15021);
        assertThat(probe.host()).isEqualTo("0.0.0.0");
        assertThat(environment.getProperty("gatemesh.proxy.probe.port")).isEqualTo("15021");
        assertThat(environment.getProperty("server.address")).isNull();
    }
}
