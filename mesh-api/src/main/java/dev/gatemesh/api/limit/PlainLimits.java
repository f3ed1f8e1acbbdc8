package dev.gatemesh.api.limit;

import dev.gatemesh.api.problem.FieldPath;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks data that arrives already parsed (a Kubernetes object as maps and lists) against the {@link InputLimits}
 * that apply to one resource: nesting depth, value length and list or mapping length. It walks the tree with an
 * explicit stack, so that no depth overflows it, and it runs before the tree is converted or validated.
 */
public final class PlainLimits {

    private record Pending(Object value, int depth, String path) {
    }

    private PlainLimits() {
    }

    /** The first limit the value crosses, or empty. */
    public static Optional<LimitExceeded> check(Object value, InputLimits limits) {
        Deque<Pending> pending = new ArrayDeque<>();
        pending.push(new Pending(value, 0, ""));
        while (!pending.isEmpty()) {
            Pending next = pending.pop();
            if (next.value() instanceof Map<?, ?> map) {
                Optional<LimitExceeded> over = collection(map.size(), "a mapping", next, limits);
                if (over.isPresent()) {
                    return over;
                }
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    String key = String.valueOf(entry.getKey());
                    if (key.length() > limits.maxScalarLength()) {
                        return Optional.of(exceeded(Limit.SCALAR_LENGTH, limits, "a key", key.length(), next.path()));
                    }
                    pending.push(new Pending(entry.getValue(), next.depth() + 1, FieldPath.field(next.path(), key)));
                }
            } else if (next.value() instanceof List<?> list) {
                Optional<LimitExceeded> over = collection(list.size(), "a list", next, limits);
                if (over.isPresent()) {
                    return over;
                }
                for (int i = list.size() - 1; i >= 0; i--) {
                    pending.push(new Pending(list.get(i), next.depth() + 1, FieldPath.index(next.path(), i)));
                }
            } else if (next.value() != null) {
                int length = String.valueOf(next.value()).length();
                if (length > limits.maxScalarLength()) {
                    return Optional.of(exceeded(Limit.SCALAR_LENGTH, limits, "a value", length, next.path()));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<LimitExceeded> collection(int size, String what, Pending at, InputLimits limits) {
        if (at.depth() + 1 > limits.maxDepth()) {
            return Optional.of(exceeded(Limit.DEPTH, limits, "the nesting", at.depth() + 1, at.path()));
        }
        if (size > limits.maxListLength()) {
            return Optional.of(exceeded(Limit.LIST_LENGTH, limits, what, size, at.path()));
        }
        return Optional.empty();
    }

    private static LimitExceeded exceeded(Limit limit, InputLimits limits, String what, long value, String path) {
        return new LimitExceeded(limit, limits.of(limit), what, value, false, 0, path.isEmpty() ? null : path);
    }
}
