package dev.gatemesh.server.source;

import dev.gatemesh.api.model.ServiceEntry;
import dev.gatemesh.api.model.WorkloadEntry;
import dev.gatemesh.api.registry.MeshService;
import dev.gatemesh.api.registry.ServiceEndpoint;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Services of a cluster: a Kubernetes Service is the host {@code <name>.<namespace>.svc.<suffix>};
 * its instances are the endpoints of its EndpointSlices, with the labels and service account of the
 * Pod each one targets. A pod with the annotation {@code sidecar.gatemesh.dev/inboundPort} has a
 * sidecar listening there (the injector sets it).
 */
final class KubernetesRegistry {

    private static final Set<String> PROTOCOLS = Set.of("HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "TCP", "TLS");
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private KubernetesRegistry() {
    }

    static List<MeshService> build(List<Service> services, List<EndpointSlice> slices, List<Pod> pods, String domainSuffix) {
        Map<String, Pod> podsByKey = new HashMap<>();
        pods.forEach(p -> podsByKey.put(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), p));
        Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
        for (EndpointSlice slice : slices) {
            var labels = slice.getMetadata().getLabels();
            String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
            if (service != null) {
                slicesByService.computeIfAbsent(slice.getMetadata().getNamespace() + "/" + service, k -> new ArrayList<>())
                        .add(slice);
            }
        }
        List<MeshService> out = new ArrayList<>();
        for (Service service : services) {
            String namespace = service.getMetadata().getNamespace();
            String name = service.getMetadata().getName();
            List<ServiceEntry.ServicePort> ports = new ArrayList<>();
            if (service.getSpec() != null && service.getSpec().getPorts() != null) {
                for (var port : service.getSpec().getPorts()) {
                    Integer target = port.getTargetPort() != null && port.getTargetPort().getIntVal() != null
                            ? port.getTargetPort().getIntVal() : null;
                    ports.add(new ServiceEntry.ServicePort(port.getPort(), protocol(port.getAppProtocol(), port.getName()),
                            port.getName(), target));
                }
            }
            List<ServiceEndpoint> endpoints = new ArrayList<>();
            for (EndpointSlice slice : slicesByService.getOrDefault(namespace + "/" + name, List.of())) {
                Map<String, Integer> slicePorts = new LinkedHashMap<>();
                if (slice.getPorts() != null) {
                    for (EndpointPort port : slice.getPorts()) {
                        if (port.getPort() != null) {
                            slicePorts.put(port.getName() == null ? "" : port.getName(), port.getPort());
                        }
                    }
                }
                if (slice.getEndpoints() != null) {
                    for (Endpoint endpoint : slice.getEndpoints()) {
                        endpoints.addAll(endpoints(namespace, endpoint, slicePorts, podsByKey));
                    }
                }
            }
            endpoints.sort(Comparator.comparing(ServiceEndpoint::address));
            out.add(new MeshService(name + "." + namespace + ".svc." + domainSuffix, namespace, name, ports,
                    ServiceEntry.Location.MESH_INTERNAL, ServiceEntry.Resolution.STATIC, endpoints, List.of()));
        }
        return out;
    }

    private static List<ServiceEndpoint> endpoints(String namespace, Endpoint endpoint, Map<String, Integer> ports,
                                                   Map<String, Pod> pods) {
        Map<String, String> labels = Map.of();
        String serviceAccount = null;
        Integer sidecarPort = null;
        var target = endpoint.getTargetRef();
        if (target != null && "Pod".equals(target.getKind())) {
            Pod pod = pods.get((target.getNamespace() == null ? namespace : target.getNamespace()) + "/" + target.getName());
            if (pod != null) {
                labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
                serviceAccount = pod.getSpec() == null ? null : pod.getSpec().getServiceAccountName();
                var annotations = pod.getMetadata().getAnnotations();
                String inbound = annotations == null ? null : annotations.get(WorkloadEntry.INBOUND_PORT_ANNOTATION);
                sidecarPort = parsePort(inbound);
            }
        }
        boolean ready = endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
        List<ServiceEndpoint> out = new ArrayList<>();
        if (endpoint.getAddresses() != null) {
            for (String address : endpoint.getAddresses()) {
                out.add(new ServiceEndpoint(address, ports, labels, namespace, serviceAccount, sidecarPort, ready));
            }
        }
        return out;
    }

    private static Integer parsePort(String value) {
        try {
            return value == null ? null : Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Istio's protocol selection: appProtocol, else the port name's prefix (http-web), else HTTP. */
    static String protocol(String appProtocol, String portName) {
        if (appProtocol != null && PROTOCOLS.contains(appProtocol.toUpperCase(Locale.ROOT))) {
            return appProtocol.toUpperCase(Locale.ROOT);
        }
        if (portName != null) {
            String prefix = portName.split("-", 2)[0].toUpperCase(Locale.ROOT);
            if (PROTOCOLS.contains(prefix)) {
                return prefix;
            }
        }
        return "HTTP";
    }
}
