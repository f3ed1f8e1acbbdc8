package dev.gatemesh.proxy.outlier;

import dev.gatemesh.proxy.route.OutlierSettings;
import dev.gatemesh.proxy.route.Cluster;
import dev.gatemesh.proxy.route.Endpoint;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

/**
 * The outlier detectors of every cluster with an {@code outlierDetection}: told of each response, asked by load
 * balancing which endpoints to skip. A detector is kept by cluster name across route-table swaps while the cluster's
 * settings stay the same (ejections survive a configuration push), and replaced when they change.
 */
public final class OutlierEjections implements BiPredicate<Cluster, Endpoint> {

    /** Told of ejections and of clusters that detect outliers (metrics). */
    public interface Listener {
        void ejected(Cluster cluster, String endpoint);

        void detecting(String clusterName, String host);
    }

    private final Clock clock;
    private final Listener listener;
    private final Map<String, OutlierDetector> detectors = new ConcurrentHashMap<>();

    public OutlierEjections(Clock clock, Listener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    /** Whether load balancing skips this endpoint of the cluster now. */
    @Override
    public boolean test(Cluster cluster, Endpoint endpoint) {
        OutlierDetector detector = detector(cluster);
        return detector != null && detector.isEjected(key(endpoint), cluster.endpoints().size());
    }

    /** One response of the endpoint (a failure to connect or a reset before the response is 503). */
    public void record(Cluster cluster, Endpoint endpoint, int status) {
        OutlierDetector detector = detector(cluster);
        if (detector != null) {
            detector.record(key(endpoint), status, cluster.endpoints().size());
        }
    }

    /** How many endpoints of the named cluster are ejected now (0 for a cluster without outlier detection). */
    public int ejected(String clusterName) {
        OutlierDetector detector = detectors.get(clusterName);
        return detector == null ? 0 : detector.ejectedCount();
    }

    /** Forgets the clusters not named. */
    public void retainOnly(Collection<String> clusterNames) {
        detectors.keySet().retainAll(Set.copyOf(clusterNames));
    }

    private OutlierDetector detector(Cluster cluster) {
        OutlierSettings settings = cluster.outlier();
        if (settings == null) {
            return null;
        }
        OutlierDetector current = detectors.get(cluster.name());
        if (current != null && current.settings().equals(settings)) {
            return current;
        }
        boolean[] made = new boolean[1];
        OutlierDetector detector = detectors.compute(cluster.name(), (name, old) -> {
            if (old != null && old.settings().equals(settings)) {
                return old;
            }
            made[0] = old == null;
            return new OutlierDetector(settings, clock, (endpoint, times) -> listener.ejected(cluster, endpoint));
        });
        if (made[0]) {
            listener.detecting(cluster.name(), cluster.host());
        }
        return detector;
    }

    /** An endpoint as the detectors and the metrics name it: its address and application port. */
    public static String key(Endpoint endpoint) {
        return endpoint.address() + ":" + endpoint.appPort();
    }
}
