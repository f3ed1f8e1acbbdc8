package dev.gatemesh.meshctl.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the traffic generator saw in one report period, and the line that tells it: statuses, which
 * reviews version answered (from {@code x-bookinfo-served-by}) and latency percentiles. Pure and
 * confined to one thread: no I/O, no clock, no locking.
 */
public final class TrafficTally {

    static final String REVIEWS_ERROR = "error";
    private static final String REVIEWS_PREFIX = "reviews-";

    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private final Map<String, Integer> reviews = new TreeMap<>();
    private final List<Long> latenciesMillis = new ArrayList<>();
    private int failed;

    /** A request that got an answer, with its {@code x-bookinfo-served-by} header (or null). */
    public void recordResponse(int status, String servedBy, Duration latency) {
        statuses.merge(status, 1, Integer::sum);
        reviews.merge(reviewsVersion(servedBy), 1, Integer::sum);
        latenciesMillis.add(latency.toMillis());
    }

    /** A request that got no answer at all (refused, reset, timed out): no reviews either. */
    public void recordFailure() {
        failed++;
        reviews.merge(REVIEWS_ERROR, 1, Integer::sum);
    }

    public int requests() {
        return failed + statuses.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * The report line, e.g. {@code traffic (last 5s): 25 requests | 200: 25 | reviews v1 23 (92%), v3 2 (8%) | p50 9 ms, p99 31 ms}.
     */
    public String summary(Duration period) {
        int total = requests();
        StringBuilder line = new StringBuilder("traffic (last ").append(seconds(period)).append("): ")
                .append(total).append(total == 1 ? " request" : " requests");
        if (total == 0) {
            return line.toString();
        }
        List<String> counts = new ArrayList<>();
        statuses.forEach((status, count) -> counts.add(status + ": " + count));
        if (failed > 0) {
            counts.add("failed: " + failed);
        }
        line.append(" | ").append(String.join(", ", counts));
        List<String> versions = new ArrayList<>();
        reviews.forEach((version, count) -> {
            if (!version.equals(REVIEWS_ERROR)) {
                versions.add(version + " " + count + " (" + percent(count, total) + "%)");
            }
        });
        Integer errors = reviews.get(REVIEWS_ERROR);
        if (errors != null) {
            versions.add(REVIEWS_ERROR + " " + errors + " (" + percent(errors, total) + "%)");
        }
        line.append(" | reviews ").append(String.join(", ", versions));
        if (!latenciesMillis.isEmpty()) {
            List<Long> sorted = latenciesMillis.stream().sorted().toList();
            line.append(" | p50 ").append(percentile(sorted, 50)).append(" ms, p99 ").append(percentile(sorted, 99))
                    .append(" ms");
        }
        return line.toString();
    }

    /**
     * The reviews version in a served-by header ({@code productpage-v1,details-v1,reviews-v2,ratings-v1} gives
     * {@code v2}), or {@code error} when no reviews answered.
     */
    static String reviewsVersion(String servedBy) {
        if (servedBy == null) {
            return REVIEWS_ERROR;
        }
        for (String token : servedBy.split(",")) {
            String served = token.strip();
            if (served.startsWith(REVIEWS_PREFIX) && served.length() > REVIEWS_PREFIX.length()) {
                return served.substring(REVIEWS_PREFIX.length());
            }
        }
        return REVIEWS_ERROR;
    }

    /** Nearest rank: the smallest value with at least p% of the values at or below it. */
    static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static long percent(int count, int total) {
        return Math.round(100.0 * count / total);
    }

    private static String seconds(Duration period) {
        return period.toMillis() % 1000 == 0 ? period.toSeconds() + "s" : period.toMillis() + "ms";
    }
}
