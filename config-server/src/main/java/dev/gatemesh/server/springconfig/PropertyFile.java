package dev.gatemesh.server.springconfig;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed Spring property file: flattened keys as Spring Boot binds them
 * ({@code spring.cloud.gateway.server.webflux.routes[0].id}), in file order.
 */
public record PropertyFile(String baseName, String origin, Map<String, Object> properties) {

    public PropertyFile {
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }
}
