package dev.vibed.perf.router;

import java.util.Arrays;
import java.util.List;

/** Nearest-rank percentiles of samples in milliseconds: what every row of the scale report is made of. */
record Latencies(double[] sortedMs) {

    static Latencies of(List<Double> ms) {
        double[] values = ms.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(values);
        return new Latencies(values);
    }

    boolean isEmpty() {
        return sortedMs.length == 0;
    }

    double p(double percentile) {
        if (sortedMs.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sortedMs.length);
        return sortedMs[Math.max(0, Math.min(sortedMs.length - 1, rank - 1))];
    }

    double median() {
        return p(50);
    }
}
