package dev.vibed.perf.router;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the scale benchmark's results: a markdown table (with ratios against the same design at the smallest size,
 * measured in the same run) and a CSV of {@code apps,design,metric,ms} next to it for plotting.
 */
final class ScaleReport {
    /** One design at one size. Counts are per new app (medians over the samples). */
    record Row(int apps, String design, Latencies upsert, double adminWrites, double adminReads, Latencies firstOk,
               Latencies hot, Latencies spread, int spreadApps, String note) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
    }

    void note(String line) {
        notes.add(line);
    }

    void write(Path md, String header) throws IOException {
        Map<String, Row> baseline = new LinkedHashMap<>();
        rows.forEach(r -> baseline.merge(r.design(), r, (a, b) -> a.apps() <= b.apps() ? a : b));
        StringBuilder out = new StringBuilder(header).append('\n');
        out.append("| apps | design | route upsert ms (p50 / max) | x vs smallest | admin writes | admin reads"
                + " | upsert to first 200 ms (p50 / max) | x vs smallest | request p50 ms (one app) | p99 | request p50 ms"
                + " (spread) | p99 | spread over |\n");
        out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            Row base = baseline.get(r.design());
            out.append("| ").append(r.apps()).append(" | ").append(r.design()).append(r.note().isEmpty() ? "" : " (" + r.note() + ")")
                    .append(" | ").append(ms(r.upsert().median())).append(" / ").append(ms(r.upsert().p(100)))
                    .append(" | ").append(ratio(r.upsert().median(), base.upsert().median()))
                    .append(" | ").append(fmt(r.adminWrites())).append(" | ").append(fmt(r.adminReads()))
                    .append(" | ").append(ms(r.firstOk().median())).append(" / ").append(ms(r.firstOk().p(100)))
                    .append(" | ").append(ratio(r.firstOk().median(), base.firstOk().median()))
                    .append(" | ").append(ms(r.hot().median())).append(" | ").append(ms(r.hot().p(99)))
                    .append(" | ").append(ms(r.spread().median())).append(" | ").append(ms(r.spread().p(99)))
                    .append(" | ").append(r.spreadApps()).append(" apps |\n");
        }
        out.append('\n');
        notes.forEach(n -> out.append("- ").append(n).append('\n'));
        Files.writeString(md, out);

        StringBuilder csv = new StringBuilder("apps,design,metric,ms\n");
        for (Row r : rows) {
            line(csv, r, "upsert_p50", r.upsert().median());
            line(csv, r, "upsert_max", r.upsert().p(100));
            line(csv, r, "first_200_p50", r.firstOk().median());
            line(csv, r, "first_200_max", r.firstOk().p(100));
            line(csv, r, "request_p50", r.hot().median());
            line(csv, r, "request_p99", r.hot().p(99));
            line(csv, r, "request_spread_p50", r.spread().median());
            line(csv, r, "request_spread_p99", r.spread().p(99));
        }
        Files.writeString(csvPath(md), csv);
    }

    static Path csvPath(Path md) {
        String name = md.getFileName().toString().replaceAll("\\.md$", "");
        return md.resolveSibling(name + ".csv");
    }

    private static void line(StringBuilder csv, Row r, String metric, double value) {
        if (!Double.isNaN(value)) {
            csv.append(r.apps()).append(',').append(r.design()).append(',').append(metric).append(',')
                    .append(String.format(Locale.ROOT, "%.3f", value)).append('\n');
        }
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, v < 10 ? "%.2f" : "%.1f", v);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(double v, double base) {
        if (Double.isNaN(v) || Double.isNaN(base) || base <= 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2fx", v / base);
    }
}
