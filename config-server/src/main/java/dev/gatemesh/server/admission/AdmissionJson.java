package dev.gatemesh.server.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** fabric8's serialization (Kubernetes' JSON conventions for its models), shared by the admission code. */
public final class AdmissionJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Configures {@link #MAPPER} as fabric8 configures its own (model registry, unknown fields kept). */
    public static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization(MAPPER, true);

    private AdmissionJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        return SERIALIZATION.asJson(value);
    }

    /** A model object as a JSON tree, as it would be sent to the API server. */
    public static JsonNode tree(Object value) {
        return mapper().valueToTree(value);
    }
}
