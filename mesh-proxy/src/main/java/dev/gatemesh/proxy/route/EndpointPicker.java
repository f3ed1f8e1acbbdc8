package dev.gatemesh.proxy.route;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Picks one healthy endpoint of a cluster by its load-balancing policy. Round-robin positions, requests
 * in flight (least request) and hash rings are kept per endpoint or cluster across route-table swaps,
 * keyed by name and address. Randomness is injected.
 */
public final class EndpointPicker {

    private static final int RING_POINTS_PER_ENDPOINT = 128;

    private final RandomGenerator random;
    private final Map<String, AtomicLong> roundRobin = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<Cluster, Ring> rings = new ConcurrentHashMap<>();
    private final java.util.function.BiPredicate<Cluster, Endpoint> ejected;

    public EndpointPicker(RandomGenerator random) {
        this(random, (cluster, endpoint) -> false);
    }

    /** @param ejected which endpoints outlier detection keeps out of load balancing now */
    public EndpointPicker(RandomGenerator random, java.util.function.BiPredicate<Cluster, Endpoint> ejected) {
        this.random = random;
        this.ejected = ejected;
    }

    /** The endpoint for this request, or null when the cluster has no healthy endpoint. */
    public Endpoint pick(Cluster cluster, RequestView request) {
        List<Endpoint> healthy = healthy(cluster);
        if (healthy.isEmpty()) {
            return null;
        }
        if (healthy.size() == 1) {
            return healthy.get(0);
        }
        LoadBalancing lb = cluster.loadBalancing();
        return switch (lb.policy()) {
            case RANDOM -> healthy.get(random.nextInt(healthy.size()));
            case LEAST_REQUEST -> leastRequest(healthy);
            case CONSISTENT_HASH -> {
                String value = lb.hashOn().valueOf(request);
                yield value == null ? healthy.get(random.nextInt(healthy.size()))
                        : (cluster.outlier() != null && healthy.size() < cluster.endpoints().size() ? new Ring(healthy)
                        : rings.computeIfAbsent(cluster, c -> new Ring(healthy))).lookup(hash(value));
            }
            case ROUND_ROBIN -> healthy.get((int) Math.floorMod(
                    roundRobin.computeIfAbsent(cluster.name(), n -> new AtomicLong()).getAndIncrement(), (long) healthy.size()));
        };
    }

    /**
     * The endpoint for a retry: one that {@code excluded} does not reject (the endpoints tried already), picked by the
     * policy among those left (a hashed request goes to a random one of them); any endpoint when none is left.
     */
    public Endpoint pick(Cluster cluster, RequestView request, java.util.function.Predicate<Endpoint> excluded) {
        List<Endpoint> left = healthy(cluster).stream().filter(excluded.negate()).toList();
        if (left.isEmpty()) {
            return pick(cluster, request);
        }
        return switch (cluster.loadBalancing().policy()) {
            case LEAST_REQUEST -> leastRequest(left);
            case ROUND_ROBIN -> left.get((int) Math.floorMod(
                    roundRobin.computeIfAbsent(cluster.name(), n -> new AtomicLong()).getAndIncrement(), (long) left.size()));
            case RANDOM, CONSISTENT_HASH -> left.get(random.nextInt(left.size()));
        };
    }

    /** Forgets the state of clusters the new table no longer has (hash rings, round-robin positions). */
    public void retainOnly(RouteTable table) {
        retainOnly(table.clusters().values());
    }

    /** Forgets the state of every cluster but these. */
    public void retainOnly(java.util.Collection<Cluster> clusters) {
        rings.keySet().retainAll(new java.util.HashSet<>(clusters));
        roundRobin.keySet().retainAll(clusters.stream().map(Cluster::name).collect(java.util.stream.Collectors.toSet()));
    }

    /** A request to the endpoint starts: counted for least-request until {@link #finished}. */
    public void started(Endpoint endpoint) {
        inFlight.computeIfAbsent(key(endpoint), k -> new AtomicInteger()).incrementAndGet();
    }

    public void finished(Endpoint endpoint) {
        AtomicInteger count = inFlight.get(key(endpoint));
        if (count != null) {
            count.decrementAndGet();
        }
    }

    private List<Endpoint> healthy(Cluster cluster) {
        List<Endpoint> all = cluster.endpoints();
        for (Endpoint endpoint : all) {
            if (!endpoint.healthy() || cluster.outlier() != null && ejected.test(cluster, endpoint)) {
                return all.stream().filter(e -> e.healthy() && (cluster.outlier() == null || !ejected.test(cluster, e))).toList();
            }
        }
        return all;
    }

    /** Power of two choices: of two endpoints drawn at random, the one with fewer requests in flight. */
    private Endpoint leastRequest(List<Endpoint> healthy) {
        Endpoint a = healthy.get(random.nextInt(healthy.size()));
        Endpoint b = healthy.get(random.nextInt(healthy.size()));
        return inFlightOf(a) <= inFlightOf(b) ? a : b;
    }

    private int inFlightOf(Endpoint endpoint) {
        AtomicInteger count = inFlight.get(key(endpoint));
        return count == null ? 0 : count.get();
    }

    private static String key(Endpoint endpoint) {
        return endpoint.address() + ":" + endpoint.appPort() + ":" + endpoint.sidecarPort();
    }

    /** 64-bit FNV-1a: stable across processes, so every sidecar sends a key to the same endpoint. */
    static long hash(String value) {
        long h = 0xcbf29ce484222325L;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        // FNV's low bits mix poorly for short keys: finish with a 64-bit avalanche.
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /** A hash ring: adding or removing one endpoint moves only the keys near its points. */
    private static final class Ring {
        private final long[] points;
        private final Endpoint[] owners;

        Ring(List<Endpoint> endpoints) {
            List<long[]> entries = new ArrayList<>();
            for (int e = 0; e < endpoints.size(); e++) {
                for (int i = 0; i < RING_POINTS_PER_ENDPOINT; i++) {
                    entries.add(new long[] {hash(key(endpoints.get(e)) + "#" + i), e});
                }
            }
            entries.sort((x, y) -> Long.compare(x[0], y[0]));
            points = new long[entries.size()];
            owners = new Endpoint[entries.size()];
            for (int i = 0; i < entries.size(); i++) {
                points[i] = entries.get(i)[0];
                owners[i] = endpoints.get((int) entries.get(i)[1]);
            }
        }

        Endpoint lookup(long hash) {
            int index = Arrays.binarySearch(points, hash);
            if (index < 0) {
                index = -index - 1;
            }
            return owners[index == points.length ? 0 : index];
        }
    }
}
