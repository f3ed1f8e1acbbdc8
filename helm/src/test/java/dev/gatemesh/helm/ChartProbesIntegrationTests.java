package dev.gatemesh.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Deployment the chart renders answers its probes on the pod's address: each probe's port is one the
 * container's app binds beyond loopback (worked out from the app's own YAML, the env and arguments the template
 * sets), so the kubelet reaches it; and the management ports stay on loopback.
 */
class ChartProbesIntegrationTests {

    private static RenderedChart render(List<Path> values) {
        return RenderedChart.parse(Helm.render(ChartIntegrationTests.NAMESPACE, values.toArray(Path[]::new)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gatemesh.helm.ChartIntegrationTests#valueSets")
    void everyProbeOfEveryDeploymentReachesAPortItsAppBindsOnThePodAddress(String name, List<Path> values) {
        RenderedChart chart = render(values);
        List<String> problems = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (Deployment deployment : chart.all(Deployment.class)) {
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                ContainerListeners listeners = ContainerListeners.of(container);
                Map<String, Probe> probes = new LinkedHashMap<>();
                Optional.ofNullable(container.getStartupProbe()).ifPresent(p -> probes.put("startupProbe", p));
                Optional.ofNullable(container.getLivenessProbe()).ifPresent(p -> probes.put("livenessProbe", p));
                Optional.ofNullable(container.getReadinessProbe()).ifPresent(p -> probes.put("readinessProbe", p));
                if (probes.isEmpty()) {
                    problems.add(where(deployment, container) + " has no probes");
                }
                probes.forEach((kind, probe) -> {
                    String at = where(deployment, container) + " " + kind + " (port " + ContainerListeners.port(container, probe)
                            + ")";
                    var listener = listeners.probed(container, probe);
                    if (listener.isEmpty()) {
                        problems.add(at + ": nothing of " + listeners.app() + " listens there; it binds " + listeners.listeners());
                    } else if (listener.get().loopbackOnly()) {
                        problems.add(at + ": " + listeners.app() + "'s " + listener.get() + " is not reachable from the kubelet");
                    } else {
                        checked.add(at + " -> " + listener.get());
                    }
                });
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).hasSize(3 * chart.all(Deployment.class).size()); // startup, liveness, readiness each
    }

    @Test
    void theGatewaysProbeTheirProbeListenerAndKeepActuatorOnLoopback() {
        RenderedChart chart = render(List.of());
        for (String name : List.of("gatemesh-ingressgateway", "gatemesh-egressgateway")) {
            Container container = chart.get(Deployment.class, name).getSpec().getTemplate().getSpec().getContainers().get(0);
            ContainerListeners listeners = ContainerListeners.of(container);
            assertThat(listeners.listeners()).as(name).contains(new ContainerListeners.Listener("probe listener", "0.0.0.0", 15021));
            assertThat(listeners.listeners()).as(name).filteredOn(l -> l.port() == 15020)
                    .singleElement().satisfies(l -> assertThat(l.loopbackOnly()).isTrue());
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
        }
        Container config = chart.get(Deployment.class, "gatemesh-config-server").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(ContainerListeners.of(config).listeners()).filteredOn(l -> l.name().equals("management"))
                .singleElement().satisfies(l -> assertThat(l.loopbackOnly()).as(l.toString()).isTrue());
    }

    @Test
    void aProbeOnAPortBoundToLoopbackIsCaught() {
        RenderedChart chart = render(List.of());
        Container egress = chart.get(Deployment.class, "gatemesh-egressgateway").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        ContainerListeners listeners = ContainerListeners.of(egress);
        Probe actuator = new ProbeBuilder().withNewHttpGet().withPath("/actuator/health")
                .withNewPort(15020).endHttpGet().build();

        assertThat(listeners.probed(egress, actuator)).hasValueSatisfying(l -> assertThat(l.loopbackOnly()).isTrue());
    }

    private static String where(Deployment deployment, Container container) {
        return "Deployment " + deployment.getMetadata().getName() + " container " + container.getName();
    }
}
