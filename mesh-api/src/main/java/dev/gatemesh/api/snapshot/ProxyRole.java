package dev.gatemesh.api.snapshot;

/** The data-plane roles a Gatemesh proxy plays. */
public enum ProxyRole { SIDECAR, INGRESS_GATEWAY, EGRESS_GATEWAY }
