package dev.gatemesh.api.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Copies for record components: never null, never mutable, order kept (output is deterministic). */
public final class Immutable {

    private Immutable() {
    }

    public static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    public static <K, V> Map<K, V> map(Map<K, V> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
