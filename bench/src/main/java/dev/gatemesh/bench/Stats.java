package dev.gatemesh.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles of a set of samples (milliseconds). */
record Stats(List<Double> sortedMillis) {

    static Stats of(List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return new Stats(sorted);
    }

    double percentile(double p) {
        int index = (int) Math.ceil(p / 100.0 * sortedMillis.size()) - 1;
        return sortedMillis.get(Math.max(0, Math.min(index, sortedMillis.size() - 1)));
    }

    double max() {
        return sortedMillis.get(sortedMillis.size() - 1);
    }

    String row() {
        return String.format("%.1f | %.1f | %.1f | %.1f", percentile(50), percentile(90), percentile(99), max());
    }
}
