package dev.gatemesh.api.load;

/**
 * How to read configuration.
 *
 * @param defaultNamespace the namespace of resources that name none (as kubectl: {@code default})
 * @param rootNamespace    the mesh's root namespace, where mesh-wide policies live
 * @param trustDomain      the SPIFFE trust domain of the mesh
 * @param domainSuffix     the cluster's DNS suffix that qualifies short host names
 */
public record LoadOptions(String defaultNamespace, String rootNamespace, String trustDomain, String domainSuffix) {

    public static final LoadOptions DEFAULTS = new LoadOptions("default", "gatemesh-system", "cluster.local",
            "cluster.local");

    public LoadOptions withDefaultNamespace(String namespace) {
        return new LoadOptions(namespace, rootNamespace, trustDomain, domainSuffix);
    }

    public LoadOptions withRootNamespace(String namespace) {
        return new LoadOptions(defaultNamespace, namespace, trustDomain, domainSuffix);
    }
}
