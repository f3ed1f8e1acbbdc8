package dev.gatemesh.proxy.retry;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Envoy's {@code retry_on} conditions, as Istio's {@code retryOn} lists them, decided for one failed try. Bare status
 * codes in the list ({@code "503,504"}) are retried as Istio's {@code retriable-status-codes}. gRPC conditions read the
 * {@code grpc-status} response header. {@code refused-stream}, {@code envoy-ratelimited}, {@code retriable-headers} and
 * {@code http3-post-connect-failure} cannot occur between Gatemesh proxies (HTTP/1.1, no Envoy headers) and never retry.
 */
public final class RetryConditions {

    /** How a try failed before any response came back. */
    public enum Failure {
        /** The connection (or its TLS handshake) could not be opened. */
        CONNECT_FAILURE,
        /** The connection broke before the response headers came. */
        RESET,
        /** The route's {@code perTryTimeout} passed before the response headers came. */
        PER_TRY_TIMEOUT
    }

    private enum Condition {
        FIVE_XX("5xx"), GATEWAY_ERROR("gateway-error"), RESET("reset"), RESET_BEFORE_REQUEST("reset-before-request"),
        CONNECT_FAILURE("connect-failure"), RETRIABLE_4XX("retriable-4xx"), RETRIABLE_STATUS_CODES("retriable-status-codes"),
        CANCELLED("cancelled", 1), DEADLINE_EXCEEDED("deadline-exceeded", 4), RESOURCE_EXHAUSTED("resource-exhausted", 8),
        INTERNAL("internal", 13), UNAVAILABLE("unavailable", 14);

        final String text;
        final int grpcStatus;

        Condition(String text) {
            this(text, -1);
        }

        Condition(String text, int grpcStatus) {
            this.text = text;
            this.grpcStatus = grpcStatus;
        }
    }

    /** Istio's conditions when a route sets none: {@code connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes} with 503. */
    public static final RetryConditions ISTIO_DEFAULT = parse(
            List.of("connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes", "503"));

    private final Set<Condition> conditions;
    private final Set<Integer> statusCodes;

    private RetryConditions(Set<Condition> conditions, Set<Integer> statusCodes) {
        this.conditions = conditions;
        this.statusCodes = statusCodes;
    }

    /** The validated {@code retryOn} items; an empty list means Istio's default conditions. Unknown items are ignored. */
    public static RetryConditions parse(List<String> retryOn) {
        if (retryOn.isEmpty()) {
            return ISTIO_DEFAULT;
        }
        Set<Condition> conditions = EnumSet.noneOf(Condition.class);
        Set<Integer> codes = new TreeSet<>();
        for (String item : retryOn) {
            if (item.matches("[1-5]\\d\\d")) {
                codes.add(Integer.parseInt(item));
                continue;
            }
            for (Condition condition : Condition.values()) {
                if (condition.text.equals(item)) {
                    conditions.add(condition);
                }
            }
        }
        return new RetryConditions(conditions, Set.copyOf(codes));
    }

    /** Whether a response with this status (and {@code grpc-status} header, or null) is retried. */
    public boolean retriesResponse(int status, String grpcStatus) {
        if (status >= 500 && conditions.contains(Condition.FIVE_XX)) {
            return true;
        }
        if ((status == 502 || status == 503 || status == 504) && conditions.contains(Condition.GATEWAY_ERROR)) {
            return true;
        }
        if (status == 409 && conditions.contains(Condition.RETRIABLE_4XX)) {
            return true;
        }
        if (statusCodes.contains(status)) {
            return true;
        }
        if (grpcStatus != null) {
            for (Condition condition : conditions) {
                if (condition.grpcStatus >= 0 && String.valueOf(condition.grpcStatus).equals(grpcStatus.trim())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether a try that got no response is retried, as Envoy decides: {@code 5xx} and {@code reset} cover every
     * failure, {@code gateway-error} connect failures and per-try timeouts (Envoy answers both as 502/504), and
     * {@code connect-failure} and {@code reset-before-request} only failures to connect.
     */
    public boolean retriesFailure(Failure failure) {
        if (conditions.contains(Condition.FIVE_XX) || conditions.contains(Condition.RESET)) {
            return true;
        }
        return switch (failure) {
            case CONNECT_FAILURE -> conditions.contains(Condition.CONNECT_FAILURE)
                    || conditions.contains(Condition.RESET_BEFORE_REQUEST) || conditions.contains(Condition.GATEWAY_ERROR);
            case PER_TRY_TIMEOUT -> conditions.contains(Condition.GATEWAY_ERROR);
            case RESET -> false;
        };
    }

    @Override
    public String toString() {
        return conditions.stream().map(c -> c.text).toList() + " " + statusCodes;
    }
}
