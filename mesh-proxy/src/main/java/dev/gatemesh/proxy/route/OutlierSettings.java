package dev.gatemesh.proxy.route;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cluster's DestinationRule {@code outlierDetection}, with Istio's defaults for what is unset.
 *
 * @param consecutive5xxErrors     5xx answers in a row (connect failures count as 503) that eject an endpoint; 0: off
 * @param consecutiveGatewayErrors 502, 503 and 504 answers in a row that eject an endpoint; 0: off
 * @param interval                 how often ejections are reconsidered (ejected endpoints returned)
 * @param baseEjectionTime         an endpoint stays out this long times the number of times it was ejected
 * @param maxEjectionPercent       at most this share of the cluster's endpoints is ejected at once
 * @param minHealthPercent         below this share of endpoints not ejected, ejections are ignored (panic); 0: never
 */
public record OutlierSettings(int consecutive5xxErrors, int consecutiveGatewayErrors, Duration interval,
                              Duration baseEjectionTime, int maxEjectionPercent, int minHealthPercent) {

    public static final int DEFAULT_CONSECUTIVE_5XX = 5;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BASE_EJECTION_TIME = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_EJECTION_PERCENT = 10;
    /** Envoy's {@code max_ejection_time}: however often an endpoint was ejected, it stays out at most this long (or the base). */
    public static final Duration MAX_EJECTION_TIME = Duration.ofSeconds(300);

    public OutlierSettings {
        if (interval.isZero() || interval.isNegative() || baseEjectionTime.isNegative()) {
            throw new IllegalArgumentException("outlier detection interval must be positive");
        }
    }

    /** The longest an endpoint stays ejected. */
    public Duration maxEjectionTime() {
        return baseEjectionTime.compareTo(MAX_EJECTION_TIME) > 0 ? baseEjectionTime : MAX_EJECTION_TIME;
    }

    /** The settings, for the route table dump. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("consecutive5xxErrors", consecutive5xxErrors);
        out.put("consecutiveGatewayErrors", consecutiveGatewayErrors);
        out.put("interval", dev.gatemesh.api.model.IstioDuration.of(interval).text());
        out.put("baseEjectionTime", dev.gatemesh.api.model.IstioDuration.of(baseEjectionTime).text());
        out.put("maxEjectionPercent", maxEjectionPercent);
        out.put("minHealthPercent", minHealthPercent);
        return out;
    }
}
