package dev.gatemesh.proxy.pool;

import dev.gatemesh.proxy.route.PoolSettings;
import dev.gatemesh.proxy.route.Cluster;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The connection pool of every cluster: its {@link ClusterLimits} (circuit breakers) and the HTTP clients that reach
 * its endpoints with its connect timeout, idle timeout and requests per connection. State is kept by cluster name
 * across route-table swaps while the cluster's settings stay the same (requests in flight stay counted), and is
 * replaced when they change.
 *
 * <p>A cluster without a connection pool shares the proxy's pool of peer connections; a cluster with one has a
 * reactor-netty {@link ConnectionProvider} of its own (its {@code maxIdleTime} is the idle timeout). A replaced or
 * forgotten pool is closed a minute later, so that requests in flight on it finish.
 */
public final class ConnectionPools implements AutoCloseable {

    static final Duration RETIRE_AFTER = Duration.ofMinutes(1);
    private static final AttributeKey<int[]> REQUESTS = AttributeKey.valueOf("gatemesh.requestsOnConnection");

    private final ConnectionProvider shared;
    private final ClusterLimits.OverflowListener listener;
    private final Map<String, ClusterLimits> limits = new ConcurrentHashMap<>();
    private final Map<String, ClusterPool> pools = new ConcurrentHashMap<>();
    private final Map<Set<String>, HttpClient> sharedClients = new ConcurrentHashMap<>();

    /** @param shared the pool of clusters that set no connection pool */
    public ConnectionPools(ConnectionProvider shared, ClusterLimits.OverflowListener listener) {
        this.shared = shared;
        this.listener = listener;
    }

    /** The circuit breakers of {@code cluster}: the same object while its settings stay the same. */
    public ClusterLimits limits(Cluster cluster) {
        ClusterLimits current = limits.get(cluster.name());
        if (current != null && current.settings().equals(cluster.pool())) {
            return current;
        }
        return limits.compute(cluster.name(), (name, old) -> old != null && old.settings().equals(cluster.pool()) ? old
                : new ClusterLimits(name, cluster.host(), cluster.pool(), listener));
    }

    /**
     * The client for {@code cluster}'s endpoints.
     *
     * @param identities the peer identities a mutual TLS client verifies, or an empty set for plain text
     * @param build      makes a client on a connection provider (event loops, TLS), decorated here with the pool's settings
     */
    public HttpClient client(Cluster cluster, Set<String> identities, Function<ConnectionProvider, HttpClient> build) {
        PoolSettings settings = cluster.pool();
        if (settings.equals(PoolSettings.NONE)) {
            return sharedClients.computeIfAbsent(identities, ids -> decorate(build.apply(shared), settings));
        }
        ClusterPool pool = pools.get(cluster.name());
        if (pool == null || !pool.settings().equals(settings)) {
            pool = pools.compute(cluster.name(), (name, old) -> {
                if (old != null && old.settings().equals(settings)) {
                    return old;
                }
                if (old != null) {
                    retire(old.provider());
                }
                return new ClusterPool(settings, provider(name, settings), new ConcurrentHashMap<>());
            });
        }
        ClusterPool chosen = pool;
        return chosen.clients().computeIfAbsent(identities, ids -> decorate(build.apply(chosen.provider()), settings));
    }

    /** Forgets the pools and limits of clusters not named. */
    public void retainOnly(Collection<String> clusterNames) {
        Set<String> keep = Set.copyOf(clusterNames);
        limits.keySet().retainAll(keep);
        pools.entrySet().removeIf(entry -> {
            if (keep.contains(entry.getKey())) {
                return false;
            }
            retire(entry.getValue().provider());
            return true;
        });
    }

    private static ConnectionProvider provider(String cluster, PoolSettings settings) {
        return ConnectionProvider.builder(cluster)
                .maxConnections(Math.min(settings.maxConnections(), 500))
                .pendingAcquireMaxCount(-1) // bounded by the cluster's ClusterLimits, before a connection is asked for
                .maxIdleTime(settings.idleTimeout())
                .build();
    }

    private static HttpClient decorate(HttpClient client, PoolSettings settings) {
        HttpClient out = client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
        int max = settings.maxRequestsPerConnection();
        if (max == 1) {
            return out.keepAlive(false);
        }
        if (max > 1) {
            // The connection's last request asks the peer to close it, so it is not reused for an (N+1)th.
            return out.doOnRequest((request, connection) -> {
                int[] count = connection.channel().attr(REQUESTS).setIfAbsent(new int[1]);
                count = count == null ? connection.channel().attr(REQUESTS).get() : count;
                if (++count[0] >= max) {
                    request.header(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
            });
        }
        return out;
    }

    private static void retire(ConnectionProvider provider) {
        Mono.delay(RETIRE_AFTER).then(provider.disposeLater()).subscribe();
    }

    @Override
    public void close() {
        pools.values().forEach(pool -> pool.provider().dispose());
        pools.clear();
    }

    private record ClusterPool(PoolSettings settings, ConnectionProvider provider, Map<Set<String>, HttpClient> clients) {
    }
}
