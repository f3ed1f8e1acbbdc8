package dev.gatemesh.api.model;

/** Names a resource in messages: {@code VirtualService default/reviews}. */
public record ResourceRef(String kind, String namespace, String name) {

    @Override
    public String toString() {
        return kind + " " + (namespace == null ? "" : namespace + "/") + (name == null ? "<unnamed>" : name);
    }
}
