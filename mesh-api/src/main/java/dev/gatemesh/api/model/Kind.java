package dev.gatemesh.api.model;

/** The kinds Gatemesh understands, with their API group and the record their {@code spec} binds to. */
public enum Kind {
    VIRTUAL_SERVICE("VirtualService", ApiGroup.NETWORKING, VirtualService.class),
    DESTINATION_RULE("DestinationRule", ApiGroup.NETWORKING, DestinationRule.class),
    GATEWAY("Gateway", ApiGroup.NETWORKING, Gateway.class),
    SERVICE_ENTRY("ServiceEntry", ApiGroup.NETWORKING, ServiceEntry.class),
    WORKLOAD_ENTRY("WorkloadEntry", ApiGroup.NETWORKING, WorkloadEntry.class),
    SIDECAR("Sidecar", ApiGroup.NETWORKING, Sidecar.class),
    PEER_AUTHENTICATION("PeerAuthentication", ApiGroup.SECURITY, PeerAuthentication.class),
    AUTHORIZATION_POLICY("AuthorizationPolicy", ApiGroup.SECURITY, AuthorizationPolicy.class),
    REQUEST_AUTHENTICATION("RequestAuthentication", ApiGroup.SECURITY, RequestAuthentication.class),
    /** A Kubernetes Service among the manifests (declares a host). */
    KUBERNETES_SERVICE("Service", ApiGroup.KUBERNETES, KubernetesService.class),
    /** A Kubernetes Pod or pod controller among the manifests (declares a workload). */
    KUBERNETES_WORKLOAD("Workload", ApiGroup.KUBERNETES, KubernetesWorkload.class);

    private final String kindName;
    private final ApiGroup group;
    private final Class<?> specType;

    Kind(String kindName, ApiGroup group, Class<?> specType) {
        this.kindName = kindName;
        this.group = group;
        this.specType = specType;
    }

    public String kindName() {
        return kindName;
    }

    public ApiGroup group() {
        return group;
    }

    public Class<?> specType() {
        return specType;
    }

    /** The preferred apiVersion, used when writing. */
    public String defaultApiVersion() {
        return group.isIstio() ? group.group() + "/v1" : "v1";
    }

    public static Kind ofIstio(ApiGroup group, String kindName) {
        for (Kind kind : values()) {
            if (kind.group == group && kind.kindName.equals(kindName)) {
                return kind;
            }
        }
        return null;
    }
}
