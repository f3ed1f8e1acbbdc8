package dev.gatemesh.proxy.outlier;

import dev.gatemesh.proxy.route.OutlierSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Envoy's consecutive-errors outlier detection for one cluster. An endpoint is ejected as soon as it answers
 * {@code consecutive5xxErrors} 5xx (or {@code consecutiveGatewayErrors} 502/503/504) in a row, unless that would eject
 * more than {@code maxEjectionPercent} of the cluster. Every {@code interval} a sweep returns the endpoints whose time
 * is up ({@code baseEjectionTime} times the number of times they were ejected, at most 300 s) and lowers that number
 * by one for endpoints that stayed in for a whole interval. Sweeps run lazily, when the detector is next asked, on
 * the injected clock's ticks since the detector was made. Endpoints are named by a key (address and ports).
 */
public final class OutlierDetector {

    private static final int MAX_SWEEPS_AT_ONCE = 1024;

    private final OutlierSettings settings;
    private final Clock clock;
    private final BiConsumer<String, Integer> onEjection;
    private final Map<String, Host> hosts = new HashMap<>();
    private Instant nextSweep;

    /** @param onEjection told of each ejection: endpoint key and how many times it was ejected so far */
    public OutlierDetector(OutlierSettings settings, Clock clock, BiConsumer<String, Integer> onEjection) {
        this.settings = settings;
        this.clock = clock;
        this.onEjection = onEjection;
        this.nextSweep = clock.instant().plus(settings.interval());
    }

    public OutlierSettings settings() {
        return settings;
    }

    private static final class Host {
        int consecutive5xx;
        int consecutiveGateway;
        int ejections;
        Instant ejectedAt;
        boolean ejectedSinceLastSweep;
    }

    /**
     * One response of {@code endpoint} (a connect failure or reset is a 503).
     *
     * @param endpoints how many endpoints the cluster has now
     */
    public synchronized void record(String endpoint, int status, int endpoints) {
        Instant now = clock.instant();
        sweep(now);
        Host host = hosts.computeIfAbsent(endpoint, k -> new Host());
        if (status < 500) {
            host.consecutive5xx = 0;
            host.consecutiveGateway = 0;
            return;
        }
        host.consecutive5xx++;
        boolean gateway = status == 502 || status == 503 || status == 504;
        host.consecutiveGateway = gateway ? host.consecutiveGateway + 1 : 0;
        boolean over5xx = settings.consecutive5xxErrors() > 0 && host.consecutive5xx >= settings.consecutive5xxErrors();
        boolean overGateway = settings.consecutiveGatewayErrors() > 0
                && host.consecutiveGateway >= settings.consecutiveGatewayErrors();
        if ((over5xx || overGateway) && host.ejectedAt == null) {
            if (100.0 * (ejected() + 1) / Math.max(1, endpoints) <= settings.maxEjectionPercent()) {
                host.ejectedAt = now;
                host.ejections++;
                host.ejectedSinceLastSweep = true;
                onEjection.accept(endpoint, host.ejections);
            }
            host.consecutive5xx = 0;
            host.consecutiveGateway = 0;
        }
    }

    /**
     * Whether load balancing skips {@code endpoint}: ejected, and the cluster is not in panic (fewer than
     * {@code minHealthPercent} of its {@code endpoints} not ejected).
     */
    public synchronized boolean isEjected(String endpoint, int endpoints) {
        sweep(clock.instant());
        Host host = hosts.get(endpoint);
        if (host == null || host.ejectedAt == null) {
            return false;
        }
        return !panics(endpoints);
    }

    /** Whether ejections are ignored because too few endpoints remain. */
    public synchronized boolean panics(int endpoints) {
        sweep(clock.instant());
        return settings.minHealthPercent() > 0 && endpoints > 0
                && 100.0 * (endpoints - ejected()) / endpoints < settings.minHealthPercent();
    }

    /** How many endpoints are ejected now. */
    public synchronized int ejectedCount() {
        sweep(clock.instant());
        return ejected();
    }

    private int ejected() {
        int n = 0;
        for (Host host : hosts.values()) {
            if (host.ejectedAt != null) {
                n++;
            }
        }
        return n;
    }

    private void sweep(Instant now) {
        int sweeps = 0;
        while (!nextSweep.isAfter(now) && sweeps++ < MAX_SWEEPS_AT_ONCE) {
            sweepAt(nextSweep);
            nextSweep = nextSweep.plus(settings.interval());
        }
        if (!nextSweep.isAfter(now)) { // idle for very long: one last sweep now, and on from there
            sweepAt(now);
            nextSweep = now.plus(settings.interval());
        }
    }

    private void sweepAt(Instant at) {
        for (Host host : hosts.values()) {
            if (host.ejectedAt != null) {
                Duration out = settings.baseEjectionTime().multipliedBy(host.ejections);
                if (out.compareTo(settings.maxEjectionTime()) > 0) {
                    out = settings.maxEjectionTime();
                }
                if (!at.isBefore(host.ejectedAt.plus(out))) {
                    host.ejectedAt = null;
                    host.consecutive5xx = 0;
                    host.consecutiveGateway = 0;
                }
            } else if (!host.ejectedSinceLastSweep && host.ejections > 0) {
                host.ejections--;
            }
            host.ejectedSinceLastSweep = false;
        }
    }
}
