package dev.gatemesh.server.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The settings as the Helm chart sets them (properties or environment variables), and their defaults. */
class InjectionPropertiesTests {

    private static InjectionProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("gatemesh.server.injection", InjectionProperties.class);
    }

    @Test
    void theDefaultsAreTheChartsDefaults() {
        InjectionSettings settings = InjectionSettings.of(bind(Map.of()), "cluster.local", "gatemesh-system", "cluster.local");

        assertThat(settings.sidecarImage()).isEqualTo("gatemesh/mesh-sidecar:0.1.0");
        assertThat(settings.initImage()).isEqualTo("gatemesh/proxy-init:0.1.0");
        assertThat(settings.redirect()).isEqualTo(RedirectMode.IPTABLES);
        assertThat(settings.proxyUid()).isEqualTo(1337);
        assertThat(settings.requests()).isEqualTo(Map.of("cpu", "100m", "memory", "256Mi"));
        assertThat(settings.limits()).isEqualTo(Map.of("memory", "512Mi"));
        assertThat(settings.controlPlane()).isEqualTo(URI.create("https://gatemesh-config-server.gatemesh-system.svc:15012"));
        assertThat(settings.excludedOutboundPorts()).containsExactly(443);
        assertThat(settings.imagePullPolicy()).isNull();
    }

    @Test
    void everySettingBindsFromItsProperty() {
        InjectionSettings settings = InjectionSettings.of(bind(Map.of(
                "gatemesh.server.injection.sidecar-image", "registry.example/mesh-sidecar:2",
                "gatemesh.server.injection.init-image", "registry.example/proxy-init:2",
                "gatemesh.server.injection.redirect", "http-proxy",
                "gatemesh.server.injection.proxy-uid", "2000",
                "gatemesh.server.injection.resources.requests.cpu", "50m",
                "gatemesh.server.injection.resources.limits.memory", "1Gi",
                "gatemesh.server.injection.control-plane", "https://cp.mesh.svc:15012",
                "gatemesh.server.injection.image-pull-policy", "IfNotPresent",
                "gatemesh.server.injection.exclude-outbound-ports", "443,5432")), "cluster.local", "istio-system", "cluster.local");

        assertThat(settings.sidecarImage()).isEqualTo("registry.example/mesh-sidecar:2");
        assertThat(settings.initImage()).isEqualTo("registry.example/proxy-init:2");
        assertThat(settings.redirect()).isEqualTo(RedirectMode.HTTP_PROXY);
        assertThat(settings.proxyUid()).isEqualTo(2000);
        assertThat(settings.requests()).isEqualTo(Map.of("cpu", "50m"));
        assertThat(settings.limits()).isEqualTo(Map.of("memory", "1Gi"));
        assertThat(settings.controlPlane()).isEqualTo(URI.create("https://cp.mesh.svc:15012"));
        assertThat(settings.imagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(settings.excludedOutboundPorts()).isEqualTo(List.of(443, 5432));
    }

    @Test
    void unusableSettingsAreRefusedNamingTheSettingAndWhatIsExpected() {
        assertThatThrownBy(() -> InjectionSettings.of(bind(Map.of("gatemesh.server.injection.redirect", "ebpf")),
                "cluster.local", "gatemesh-system", "cluster.local"))
                .hasMessage("redirect: \"ebpf\" is not a redirect mode; expected iptables or http-proxy");
        assertThatThrownBy(() -> InjectionSettings.of(bind(Map.of("gatemesh.server.injection.resources.limits.cpu", "fast")),
                "cluster.local", "gatemesh-system", "cluster.local"))
                .hasMessage("resources.limits.cpu: \"fast\" is not a quantity; expected e.g. 100m or 0.5");
        assertThatThrownBy(() -> InjectionSettings.of(bind(Map.of("gatemesh.server.injection.exclude-outbound-ports", "0")),
                "cluster.local", "gatemesh-system", "cluster.local"))
                .hasMessage("exclude-outbound-ports: 0 is not a port; expected 1 to 65535");
        assertThatThrownBy(() -> InjectionSettings.of(bind(Map.of("gatemesh.server.injection.path-normalization", "LOOSE")),
                "cluster.local", "gatemesh-system", "cluster.local"))
                .hasMessage("path-normalization: \"LOOSE\" is not an option; expected one of NONE, BASE, MERGE_SLASHES, "
                        + "DECODE_AND_MERGE_SLASHES");
    }
}
