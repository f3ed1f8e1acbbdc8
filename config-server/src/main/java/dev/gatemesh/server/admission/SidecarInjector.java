package dev.gatemesh.server.admission;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a pod gets a sidecar and, if so, returns the pod with it: a pure function of the pod, its
 * namespace's labels and the settings, shared by the mutating webhook and {@code meshctl inject}.
 *
 * <p>A pod is injected when its namespace is labelled {@code gatemesh-injection=enabled} (or its labels are not
 * known, as for {@code meshctl inject}), it does not opt out ({@code sidecar.gatemesh.dev/inject: "false"} as
 * annotation or label, or Istio's {@code sidecar.istio.io/inject} when Gatemesh's is absent), it is not in a system namespace, does not use the host's network, and has no sidecar yet.
 * The init containers become: the iptables redirect (iptables mode), the sidecar, then the app's own, so that the
 * app's init containers already run inside the mesh.
 */
public final class SidecarInjector {

    /** Istio's ignored namespaces: the cluster's own machinery never gets a sidecar. */
    static final Set<String> SYSTEM_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease");
    private static final Set<String> TRUE = Set.of("true", "y", "yes", "on");
    private static final Set<String> FALSE = Set.of("false", "n", "no", "off");

    private final InjectionSettings settings;

    public SidecarInjector(InjectionSettings settings) {
        this.settings = settings;
    }

    /**
     * @param namespace       the pod's namespace (the admission request's, since a new pod's metadata may name none)
     * @param namespaceLabels the namespace's labels, or null when they are not known (then the caller decided)
     */
    public InjectionDecision inject(Pod pod, String namespace, Map<String, String> namespaceLabels) {
        Map<String, String> annotations = orEmpty(pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations());
        Map<String, String> labels = orEmpty(pod.getMetadata() == null ? null : pod.getMetadata().getLabels());
        PodSpec spec = pod.getSpec();
        if (spec == null || spec.getContainers() == null || spec.getContainers().isEmpty()) {
            return new InjectionDecision.Refused(List.of("spec.containers: a pod needs at least one container"));
        }
        if (namespace != null && SYSTEM_NAMESPACES.contains(namespace)) {
            return new InjectionDecision.Skipped("namespace " + namespace + " is a system namespace");
        }
        if (namespaceLabels != null && !InjectionAnnotations.NAMESPACE_LABEL_ENABLED.equals(
                namespaceLabels.get(InjectionAnnotations.NAMESPACE_LABEL))) {
            return new InjectionDecision.Skipped("namespace " + namespace + " is not labelled "
                    + InjectionAnnotations.NAMESPACE_LABEL + "=" + InjectionAnnotations.NAMESPACE_LABEL_ENABLED);
        }
        List<String> problems = new ArrayList<>();
        String optOut = null;
        Boolean wanted = null;
        for (String key : List.of(InjectionAnnotations.INJECT, InjectionAnnotations.ISTIO_INJECT)) {
            for (boolean annotation : new boolean[] {true, false}) {
                String text = (annotation ? annotations : labels).get(key);
                if (wanted == null && text != null) {
                    wanted = switchValue(text, (annotation ? "metadata.annotations" : "metadata.labels") + "[\"" + key + "\"]",
                            problems);
                    optOut = key;
                }
            }
        }
        if (!problems.isEmpty()) {
            return new InjectionDecision.Refused(problems);
        }
        if (Boolean.FALSE.equals(wanted)) {
            return new InjectionDecision.Skipped("the pod opts out (" + optOut + ": false)");
        }
        if (isInjected(pod)) {
            return new InjectionDecision.Skipped("the pod already has its sidecar");
        }
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            return new InjectionDecision.Skipped("the pod uses the host's network, which a sidecar must not redirect");
        }
        PodOverrides overrides = PodOverrides.read(annotations, settings);
        if (!overrides.problems().isEmpty()) {
            return new InjectionDecision.Refused(overrides.problems());
        }
        return new InjectionDecision.Injected(withSidecar(pod, spec, annotations, labels, overrides));
    }

    /** A pod the injector has seen: its status annotation, or a container of the sidecar's name. */
    public static boolean isInjected(Pod pod) {
        if (pod.getMetadata() != null && pod.getMetadata().getAnnotations() != null
                && pod.getMetadata().getAnnotations().containsKey(InjectionAnnotations.STATUS)) {
            return true;
        }
        PodSpec spec = pod.getSpec();
        return spec != null && (hasContainer(spec.getInitContainers()) || hasContainer(spec.getContainers()));
    }

    private static boolean hasContainer(List<Container> containers) {
        return containers != null && containers.stream().anyMatch(c -> InjectionAnnotations.SIDECAR_CONTAINER.equals(c.getName()));
    }

    private Pod withSidecar(Pod pod, PodSpec spec, Map<String, String> annotations, Map<String, String> labels,
                            PodOverrides overrides) {
        List<Container> appInit = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
        List<Container> apps = spec.getContainers();
        RedirectMode mode = overrides.redirect();
        List<Container> init = new ArrayList<>();
        List<String> added = new ArrayList<>();
        if (mode == RedirectMode.IPTABLES) {
            init.add(RedirectInitContainer.build(settings, overrides));
            added.add(InjectionAnnotations.INIT_CONTAINER);
        }
        init.add(SidecarContainer.build(settings, overrides, appPorts(apps), labels));
        added.add(InjectionAnnotations.SIDECAR_CONTAINER);
        List<Container> containers = apps;
        if (mode == RedirectMode.HTTP_PROXY) {
            appInit = appInit.stream().map(HttpProxyEnv::apply).toList();
            containers = apps.stream().map(HttpProxyEnv::apply).toList();
        }
        init.addAll(appInit);
        List<Volume> volumes = new ArrayList<>(spec.getVolumes() == null ? List.of() : spec.getVolumes());
        List<Volume> ours = SidecarContainer.volumes();
        volumes.addAll(ours);
        Map<String, String> newAnnotations = new LinkedHashMap<>(annotations);
        newAnnotations.put(InjectionAnnotations.INBOUND_PORT, Integer.toString(InjectionSettings.INBOUND_PORT));
        newAnnotations.put(InjectionAnnotations.STATUS, status(added, ours, mode));
        return new PodBuilder(pod)
                .editOrNewMetadata().withAnnotations(newAnnotations).endMetadata()
                .editSpec().withInitContainers(init).withContainers(containers).withVolumes(volumes).endSpec()
                .build();
    }

    private static String status(List<String> initContainers, List<Volume> volumes, RedirectMode mode) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("initContainers", initContainers);
        status.put("volumes", volumes.stream().map(Volume::getName).toList());
        status.put("redirect", mode.value());
        return AdmissionJson.write(status);
    }

    /** The app's TCP container ports, in order, each once: where the sidecar forwards inbound traffic. */
    static List<Integer> appPorts(List<Container> containers) {
        Set<Integer> ports = new LinkedHashSet<>();
        for (Container container : containers) {
            for (ContainerPort port : container.getPorts() == null ? List.<ContainerPort>of() : container.getPorts()) {
                if (port.getContainerPort() != null && (port.getProtocol() == null || "TCP".equals(port.getProtocol()))) {
                    ports.add(port.getContainerPort());
                }
            }
        }
        return List.copyOf(ports);
    }

    private static Boolean switchValue(String text, String field, List<String> problems) {
        if (text == null) {
            return null;
        }
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (TRUE.contains(value)) {
            return true;
        }
        if (FALSE.contains(value)) {
            return false;
        }
        problems.add(field + ": \"" + text + "\" is not a switch; expected \"true\" or \"false\"");
        return null;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
