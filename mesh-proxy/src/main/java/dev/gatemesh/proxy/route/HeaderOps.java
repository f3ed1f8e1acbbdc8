package dev.gatemesh.proxy.route;

import dev.gatemesh.api.model.VirtualService;
import java.util.List;
import java.util.Map;

/** Header changes of a route or destination: set (replace), add (append), remove. */
public record HeaderOps(Map<String, String> set, Map<String, String> add, List<String> remove) {

    public static final HeaderOps NONE = new HeaderOps(Map.of(), Map.of(), List.of());

    public HeaderOps {
        set = Map.copyOf(set);
        add = Map.copyOf(add);
        remove = List.copyOf(remove);
    }

    public static HeaderOps of(VirtualService.HeaderOperations operations) {
        if (operations == null) {
            return NONE;
        }
        return new HeaderOps(operations.set(), operations.add(), operations.remove());
    }

    public boolean isEmpty() {
        return set.isEmpty() && add.isEmpty() && remove.isEmpty();
    }
}
