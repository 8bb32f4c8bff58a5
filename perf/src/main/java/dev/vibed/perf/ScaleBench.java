package dev.vibed.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The scale section: does a deploy, and its route, cost more when many apps are already deployed? For each N
 * (ascending), static apps are deployed until N serve, then {@link #PROBES} more are deployed one by one and timed
 * to their URL; the route stage of those probes comes from vibeD's own {@code vibed_deploy_stage_seconds{stage=
 * "route"}} (the time from the reconciler's Ready write in the store to the proxy's route table holding the route).
 * The probes stay deployed and count towards the next N. Runs its own vibeD, so its RSS is the apps' and nothing else's.
 */
final class ScaleBench {
    /** Deploys timed at each N. */
    static final int PROBES = 20;
    /** Deploys at once while filling up to N: enough to fill 1,000 quickly, few enough not to be the measurement. */
    private static final int FILL_PARALLEL = 8;

    /** The deploy stages, in order, as {@code vibed_deploy_stage_seconds} names them. */
    static final List<String> STAGES = List.of("upload", "inspect", "store", "claim", "inject", "start", "route", "confirm");

    /**
     * One N: the probes' deploy-to-URL, their mean route stage, vibeD's RSS afterwards, and the probes' mean time
     * per deploy stage (ms), which says where a static deploy spends its time.
     */
    record Point(int apps, Stats deployMs, double routeMeanMs, double rssMb, Map<String, Double> stageMeansMs) {
    }

    private ScaleBench() {
    }

    static Map<Integer, Point> run(Path jar, Path work, byte[] site, List<Integer> scale, Consumer<String> say) throws Exception {
        Map<Integer, Point> out = new LinkedHashMap<>();
        List<Integer> levels = scale.stream().sorted().distinct().toList();
        try (Vibed vibed = Vibed.start(jar, work.resolve("scale-data"), 1, 2, work.resolve("scale-vibed.log"))) {
            int deployed = 0;
            for (int n : levels) {
                deployed = fill(vibed, site, deployed, n);
                Map<String, double[]> before = vibed.stageMeans();
                List<Double> ms = new ArrayList<>();
                for (int i = 0; i < PROBES; i++) {
                    Vibed.Deployed d = vibed.deployToUrl(site, "probe-" + n + "-" + i);
                    if (!d.ok()) {
                        throw new IllegalStateException("scale probe at " + n + " apps failed: " + d.status() + " " + d.body());
                    }
                    ms.add(d.toUrlMs());
                }
                deployed += PROBES;
                Map<String, double[]> after = vibed.stageMeans();
                Map<String, Double> stages = new LinkedHashMap<>();
                STAGES.forEach(s -> stages.put(s, meanMs(before, after, s)));
                double route = stages.get("route");
                Point p = new Point(n, Stats.of(ms), route, Machine.rssMb(vibed.pid()), stages);
                out.put(n, p);
                say.accept(String.format(Locale.ROOT, "scale %d apps: deploy p50 %.0f ms, p90 %.0f ms, route %.2f ms, RSS %.0f MB",
                        n, p.deployMs().p50(), p.deployMs().p(90), route, p.rssMb()));
            }
        }
        return out;
    }

    /** Deploys static apps, a few at a time, until {@code target} are deployed; returns how many are. */
    private static int fill(Vibed vibed, byte[] site, int deployed, int target) throws Exception {
        if (deployed >= target) {
            return deployed;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(FILL_PARALLEL)) {
            List<Future<Vibed.Deployed>> all = new ArrayList<>();
            for (int i = deployed; i < target; i++) {
                String name = "fill-" + i;
                all.add(pool.submit(() -> vibed.deployToUrl(site, name)));
            }
            for (Future<Vibed.Deployed> f : all) {
                Vibed.Deployed d = f.get();
                if (!d.ok()) {
                    throw new IllegalStateException("filling to " + target + " apps failed: " + d.status() + " " + d.body());
                }
            }
        }
        return target;
    }

    /** The mean of one stage over the deploys between two readings of the stage histogram, in ms. */
    private static double meanMs(Map<String, double[]> before, Map<String, double[]> after, String stage) {
        double[] a = after.getOrDefault(stage, new double[2]);
        double[] b = before.getOrDefault(stage, new double[2]);
        double count = a[1] - b[1];
        return count <= 0 ? Double.NaN : (a[0] - b[0]) / count * 1000;
    }

    /** The scale table as CSV, one row per N, with the ratios against the smallest N. */
    static void writeCsv(Map<Integer, Point> points, Path file) throws IOException {
        StringBuilder csv = new StringBuilder("apps,deploy_p50_ms,deploy_p90_ms,deploy_p50_ratio,deploy_p90_ratio,route_mean_ms,route_ratio,vibed_rss_mb\n");
        Point base = points.values().iterator().next();
        for (Point p : points.values()) {
            csv.append(String.format(Locale.ROOT, "%d,%.1f,%.1f,%.3f,%.3f,%.3f,%.3f,%.1f%n", p.apps(), p.deployMs().p50(),
                    p.deployMs().p(90), p.deployMs().p50() / base.deployMs().p50(), p.deployMs().p(90) / base.deployMs().p(90),
                    p.routeMeanMs(), p.routeMeanMs() / base.routeMeanMs(), p.rssMb()));
        }
        Files.writeString(file, csv);
    }
}
