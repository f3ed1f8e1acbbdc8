package dev.gatemesh.api.load;

import dev.gatemesh.api.limit.InputLimits;

/**
 * How to read configuration.
 *
 * @param defaultNamespace the namespace of resources that name none (as kubectl: {@code default})
 * @param rootNamespace    the mesh's root namespace, where mesh-wide policies live
 * @param trustDomain      the SPIFFE trust domain of the mesh
 * @param domainSuffix     the cluster's DNS suffix that qualifies short host names
 * @param limits           the bounds on what is read (file size, resource count, nesting, ...)
 */
public record LoadOptions(String defaultNamespace, String rootNamespace, String trustDomain, String domainSuffix,
                          InputLimits limits) {

    public static final LoadOptions DEFAULTS = new LoadOptions("default", "gatemesh-system", "cluster.local",
            "cluster.local");

    public LoadOptions {
        limits = limits == null ? InputLimits.DEFAULTS : limits;
    }

    /** Options with the default {@link InputLimits}. */
    public LoadOptions(String defaultNamespace, String rootNamespace, String trustDomain, String domainSuffix) {
        this(defaultNamespace, rootNamespace, trustDomain, domainSuffix, InputLimits.DEFAULTS);
    }

    public LoadOptions withDefaultNamespace(String namespace) {
        return new LoadOptions(namespace, rootNamespace, trustDomain, domainSuffix, limits);
    }

    public LoadOptions withRootNamespace(String namespace) {
        return new LoadOptions(defaultNamespace, namespace, trustDomain, domainSuffix, limits);
    }

    public LoadOptions withLimits(InputLimits newLimits) {
        return new LoadOptions(defaultNamespace, rootNamespace, trustDomain, domainSuffix, newLimits);
    }
}
