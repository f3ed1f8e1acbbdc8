package dev.gatemesh.proxy.route;

/**
 * How a cluster picks an endpoint: the DestinationRule's {@code loadBalancer} (ROUND_ROBIN when unset;
 * LEAST_CONN is Istio's old name of LEAST_REQUEST).
 *
 * @param hashOn for CONSISTENT_HASH, what the hash is of; null otherwise
 */
public record LoadBalancing(Policy policy, HashKey hashOn) {

    public enum Policy { ROUND_ROBIN, LEAST_REQUEST, RANDOM, CONSISTENT_HASH }

    public static final LoadBalancing DEFAULT = new LoadBalancing(Policy.ROUND_ROBIN, null);

    /** @param name the header, cookie or query parameter name; null for the source IP */
    public record HashKey(Source source, String name) {

        public enum Source { HEADER, COOKIE, SOURCE_IP, QUERY_PARAMETER }

        /** The value to hash for a request, or null when the request has none (then any endpoint will do). */
        public String valueOf(RequestView request) {
            return switch (source) {
                case HEADER -> request.header(name);
                case COOKIE -> request.cookie(name);
                case SOURCE_IP -> request.sourceAddress();
                case QUERY_PARAMETER -> request.queryParam(name);
            };
        }
    }
}
