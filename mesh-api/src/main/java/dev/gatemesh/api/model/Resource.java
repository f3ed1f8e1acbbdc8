package dev.gatemesh.api.model;


/**
 * One validated configuration object: its kind, metadata (namespace always set) and typed spec.
 * Equality covers kind, apiVersion, metadata and spec, not where it was read from.
 */
public record Resource<S>(Kind kind, String apiVersion, ObjectMeta metadata, S spec, Origin origin) {

    public String name() {
        return metadata.name();
    }

    public String namespace() {
        return metadata.namespace();
    }

    public ResourceRef ref() {
        String kindName = spec instanceof KubernetesWorkload w ? w.workloadKind() : kind.kindName();
        return new ResourceRef(kindName, metadata.namespace(), metadata.name());
    }

    /** The spec as the given type, for callers that filtered by {@link #kind()}. */
    @SuppressWarnings("unchecked")
    public <T> Resource<T> as(Class<T> type) {
        if (!type.isInstance(spec)) {
            throw new IllegalArgumentException(ref() + " has a " + kind.specType().getSimpleName() + " spec, not " + type.getSimpleName());
        }
        return (Resource<T>) this;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Resource<?> that && kind == that.kind && apiVersion.equals(that.apiVersion)
                && metadata.equals(that.metadata) && java.util.Objects.equals(spec, that.spec);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, apiVersion, metadata, spec);
    }
}
