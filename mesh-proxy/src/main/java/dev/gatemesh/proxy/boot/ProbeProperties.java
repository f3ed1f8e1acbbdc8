package dev.gatemesh.proxy.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The probe-only listener, under {@code gatemesh.proxy.probe}: off by default (local mode runs many proxies on one
 * host, where the management port on loopback serves the probes); the injector and the chart turn it on at
 * {@value dev.gatemesh.proxy.probe.ProbeListener#ISTIO_PORT}, on the pod's address, for the kubelet.
 *
 * @param host the address to bind (all addresses by default: the kubelet probes the pod's address)
 * @param port the port; -1 for no probe listener, 0 for any free port
 */
@ConfigurationProperties("gatemesh.proxy.probe")
public record ProbeProperties(@DefaultValue("0.0.0.0") String host, @DefaultValue("-1") int port) {
}
