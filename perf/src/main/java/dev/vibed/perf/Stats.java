package dev.vibed.perf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles of a set of millisecond samples (nearest-rank, so a p99 of few samples is their maximum). */
record Stats(List<Double> sorted) {
    static Stats of(List<Double> samples) {
        List<Double> s = new ArrayList<>(samples);
        Collections.sort(s);
        return new Stats(List.copyOf(s));
    }

    int count() {
        return sorted.size();
    }

    double p(double percentile) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    double p50() {
        return p(50);
    }
}
