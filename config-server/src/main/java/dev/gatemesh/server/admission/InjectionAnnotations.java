package dev.gatemesh.server.admission;

import dev.gatemesh.api.model.WorkloadEntry;

/** The labels and annotations that steer injection, and the names of what injection adds. */
public final class InjectionAnnotations {

    /** Namespace label that turns injection on: {@code gatemesh-injection=enabled}. */
    public static final String NAMESPACE_LABEL = "gatemesh-injection";
    public static final String NAMESPACE_LABEL_ENABLED = "enabled";

    /** Pod annotation (or, as in Istio, label): {@code "false"} opts the pod out. */
    public static final String INJECT = "sidecar.gatemesh.dev/inject";
    /** Istio's switch, honoured when Gatemesh's is absent, so that manifests migrated from Istio keep their opt-outs. */
    public static final String ISTIO_INJECT = "sidecar.istio.io/inject";
    /** Written by the injector: what it added (so a second injection is recognised and skipped). */
    public static final String STATUS = "sidecar.gatemesh.dev/status";
    public static final String REDIRECT = "sidecar.gatemesh.dev/redirect";
    public static final String PROXY_CPU = "sidecar.gatemesh.dev/proxyCPU";
    public static final String PROXY_MEMORY = "sidecar.gatemesh.dev/proxyMemory";
    public static final String PROXY_CPU_LIMIT = "sidecar.gatemesh.dev/proxyCPULimit";
    public static final String PROXY_MEMORY_LIMIT = "sidecar.gatemesh.dev/proxyMemoryLimit";
    /** Comma-separated destination ports the iptables redirect leaves alone (e.g. {@code 443,5432}). */
    public static final String EXCLUDE_OUTBOUND_PORTS = "sidecar.gatemesh.dev/excludeOutboundPorts";
    /** Comma-separated destination CIDRs the iptables redirect leaves alone (e.g. {@code 10.96.0.1/32}). */
    public static final String EXCLUDE_OUTBOUND_IP_RANGES = "sidecar.gatemesh.dev/excludeOutboundIPRanges";
    /** The sidecar's inbound listener, which the registry reads to send mesh traffic there. */
    public static final String INBOUND_PORT = WorkloadEntry.INBOUND_PORT_ANNOTATION;

    public static final String SIDECAR_CONTAINER = "gatemesh-proxy";
    public static final String INIT_CONTAINER = "gatemesh-init";
    public static final String TOKEN_VOLUME = "gatemesh-token";
    public static final String TRUST_VOLUME = "gatemesh-trust-bundle";

    private InjectionAnnotations() {
    }
}
