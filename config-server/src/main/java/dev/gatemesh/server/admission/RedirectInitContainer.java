package dev.gatemesh.server.admission;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The init container that installs the iptables redirect ({@link IptablesRules}) before anything else in the pod
 * runs. It needs root with NET_ADMIN and NET_RAW inside the pod's network namespace only, and nothing else.
 */
final class RedirectInitContainer {

    private RedirectInitContainer() {
    }

    static Container build(InjectionSettings settings, PodOverrides overrides) {
        IptablesRules rules = new IptablesRules(settings.proxyUid(), InjectionSettings.OUTBOUND_PORT,
                overrides.excludedPorts(), overrides.excludedRanges());
        return new ContainerBuilder()
                .withName(InjectionAnnotations.INIT_CONTAINER)
                .withImage(settings.initImage())
                .withImagePullPolicy(settings.imagePullPolicy())
                .withCommand("sh", "-c")
                .withArgs(rules.script())
                .withNewResources()
                .withRequests(new TreeMap<>(Map.of("cpu", new Quantity("10m"), "memory", new Quantity("16Mi"))))
                .withLimits(new TreeMap<>(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("64Mi"))))
                .endResources()
                .withNewSecurityContext()
                .withRunAsUser(0L).withRunAsGroup(0L).withRunAsNonRoot(false)
                .withAllowPrivilegeEscalation(false).withPrivileged(false)
                .withNewCapabilities().withAdd(List.of("NET_ADMIN", "NET_RAW")).withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .build();
    }
}
