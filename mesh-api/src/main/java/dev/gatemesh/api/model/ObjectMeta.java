package dev.gatemesh.api.model;

import java.util.Map;

/** The part of Kubernetes' ObjectMeta that Gatemesh reads; the bookkeeping fields are dropped. */
@IstioFields(ignored = {"uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "managedFields", "ownerReferences", "finalizers", "generateName", "selfLink"})
public record ObjectMeta(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {

    public ObjectMeta {
        labels = Immutable.map(labels);
        annotations = Immutable.map(annotations);
    }

    public ObjectMeta withNamespace(String newNamespace) {
        return new ObjectMeta(name, newNamespace, labels, annotations);
    }
}
