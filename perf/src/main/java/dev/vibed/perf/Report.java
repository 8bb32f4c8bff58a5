package dev.vibed.perf;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** Writes the benchmark's Markdown report: the machine, the command, and one table per question. */
final class Report {
    private Report() {
    }

    static String write(String machine, String args, Instant started, Bench.Options o, Map<String, Stats> bare,
                        Map<String, Stats> bareAccept,
                        Map<String, Stats> deploy, Map<Integer, Stats> parallel, Map<Integer, Integer> parallelOk,
                        ProxyRounds proxy, double idleMb, double agentMb, Map<String, double[]> stages, String slowest,
                        Map<String, Integer> poolMisses, Map<Integer, Double> parallelCpuMs,
                        Map<String, Map<String, double[]>> sequentialStages) {
        StringBuilder r = new StringBuilder();
        r.append("# vibeD benchmark results\n\n");
        r.append("Written by `./vibed bench").append(args.isEmpty() ? "" : " " + args).append("` (harness: `perf/src/main/java/dev/vibed/perf/Bench.java`), ")
                .append(started).append(", in ").append(Duration.between(started, Instant.now()).toSeconds()).append(" s.\n\n");
        r.append("Machine: ").append(machine).append(". Load average at the end: ").append(Machine.loadAverage())
                .append(". Every ratio is against a baseline measured in the same run on this machine.\n\n");

        r.append("## Deploy to URL, per template\n\n");
        r.append("From the upload's first byte to the first 200 from the app's URL (").append(o.deploys())
                .append(" sequential deploys each, a new app each time, deleted after its first 200). A node or python "
                        + "deploy starts once its template's pool holds a warm sandbox again and no pool is still starting one "
                        + "(`vibed_pool_starting_sandboxes` is 0), as a single user's deploy finds it (bursts that outrun the pool are the parallel section); static sites have no pool. Bare boot: "
                        + "the same app started by hand (`node server.js`, `python3 app.py`, with the interpreter the "
                        + "sandboxes run and the environment a sandboxed app gets; static sites against the bare Node boot) until its"
                        + " first 200, the same end as the deploy's measure; when its port first accepted is shown beside it.\n\n");
        r.append("| template | p50 ms | p90 ms | p99 ms | bare boot p50 ms (to its first 200) | bare boot p50 ms (to accepting) | ratio (p50 / bare p50) | platform overhead ms (p50 - bare p50) | pool misses |\n");
        r.append("|---|---|---|---|---|---|---|---|---|\n");
        deploy.forEach((t, s) -> {
            Stats b = bare.get(t);
            r.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.2fx | %.0f | %s |%n", t, s.p50(), s.p(90), s.p(99),
                    b.p50(), bareAccept.get(t).p50(), s.p50() / b.p50(), s.p50() - b.p50(), t.equals("static") ? "-" : String.valueOf(poolMisses.getOrDefault(t, 0))));
        });
        r.append("\n![deploy latency by template against the bare boot](deploy-latency.png)\n");

        if (!parallel.isEmpty()) {
            r.append("\n## Parallel deploys (static)\n\n");
            double single = deploy.containsKey("static") ? deploy.get("static").p50() : Double.NaN;
            int cores = Runtime.getRuntime().availableProcessors();
            r.append("N deploys started at once; each measured from its upload to its first 200. vibeD takes them in "
                    + "arrival order, as many at once as its --deploy-concurrency (default: the cores, at least 2). CPU per deploy: vibeD's "
                    + "own CPU time (user + system) over the burst, divided by N. CPU floor of the p50: the time the "
                    + "machine's " + cores + " cores need for half the burst's CPU (N/2 x CPU per deploy / cores), which "
                    + "no scheduling can beat; with a single deploy mostly CPU, the p50 / single ratio is bounded below "
                    + "by floor / single.\n\n");
            r.append("| N | succeeded | p50 ms | p90 ms | p99 ms | p50 / single p50 | p99 / p50 | vibeD CPU ms per deploy | CPU floor of the p50, ms | floor / single p50 |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|\n");
            parallel.forEach((n, s) -> {
                double cpu = parallelCpuMs.getOrDefault(n, Double.NaN);
                double floor = n / 2.0 * cpu / cores;
                r.append(String.format(Locale.ROOT, "| %d | %d/%d | %.0f | %.0f | %.0f | %.2fx | %.2fx | %.1f | %.0f | %.2fx |%n",
                        n, parallelOk.get(n), n, s.p50(), s.p(90), s.p(99), s.p50() / single, s.p(99) / s.p50(), cpu, floor, floor / single));
            });
            r.append("\n![latency CDF of parallel deploys](parallel-cdf.png)\n");
        }

        r.append("\n## Proxy: embedded vs direct vs Caddy\n\n");
        if (proxy == null) {
            r.append("Not measured: the run had no node template.\n");
        } else {
            proxySection(r, o, proxy);
        }

        r.append("\n## Footprint\n\n| what | VmRSS MB |\n|---|---|\n");
        r.append(String.format(Locale.ROOT, "| control plane, idle (warm pool filled, no apps) | %.0f |%n", idleMb));
        r.append(String.format(Locale.ROOT, "| largest agent after the run (deploys, proxy load), app process not included | %.0f |%n", agentMb));

        r.append("\n## Deploy stages (every deploy of the run)\n\n");
        r.append("Mean time per stage from `vibed_deploy_stage_seconds` on `/metrics`; each stage runs from the end of the one before.\n\n");
        r.append("| stage | deploys | mean ms |\n|---|---|---|\n");
        for (String stage : ScaleBench.STAGES) {
            double[] sc = stages.get(stage);
            if (sc != null && sc[1] > 0) {
                r.append(String.format(Locale.ROOT, "| %s | %.0f | %.1f |%n", stage, sc[1], sc[0] / sc[1] * 1000));
            }
        }
        r.append("\nSlowest stage: **").append(slowest).append("**.\n");
        if (!sequentialStages.isEmpty()) {
            // The run's means mix in the bursts of the parallel section; a single user's deploy is these.
            r.append("\n## Deploy stages of the sequential deploys, per template\n\n");
            r.append("Mean ms per stage over each template's sequential deploys only (the first table).\n\n| stage |");
            sequentialStages.keySet().forEach(t -> r.append(' ').append(t).append(" |"));
            r.append("\n|---|").append("---|".repeat(sequentialStages.size())).append('\n');
            for (String stage : ScaleBench.STAGES) {
                r.append("| ").append(stage).append(" |");
                for (Map<String, double[]> byStage : sequentialStages.values()) {
                    double[] sc = byStage.get(stage);
                    r.append(sc != null && sc[1] > 0 ? String.format(Locale.ROOT, " %.1f |", sc[0] / sc[1] * 1000) : " - |");
                }
                r.append('\n');
            }
            sequentialStages.forEach((t, byStage) -> r.append("\nSlowest stage of a sequential ").append(t)
                    .append(" deploy: **").append(slowest(byStage)).append("**."));
            r.append('\n');
        }
        return r.toString();
    }

    /** The stage with the largest mean, or none. */
    static String slowest(Map<String, double[]> stages) {
        return stages.entrySet().stream()
                .filter(e -> e.getValue()[1] > 0)
                .max(java.util.Comparator.comparingDouble(e -> e.getValue()[0] / e.getValue()[1]))
                .map(Map.Entry::getKey).orElse("none");
    }

    /** The scale section: deploy and route cost with N static apps deployed, as ratios against the smallest N. */
    static String scale(Map<Integer, ScaleBench.Point> points) {
        if (points.isEmpty()) {
            return "";
        }
        StringBuilder r = new StringBuilder("\n## Scale: deploy and route with N static apps deployed\n\n");
        ScaleBench.Point base = points.values().iterator().next();
        r.append("With N static apps already deployed and serving (in a vibeD of its own), ").append(ScaleBench.PROBES)
                .append(" more static deploys one after the other, each from its upload to its first 200. Route: the mean "
                        + "of `vibed_deploy_stage_seconds{stage=\"route\"}` over those deploys, the time from the reconciler's "
                        + "Ready write in the store to the proxy's route table holding the route. Ratios are against N = ")
                .append(base.apps()).append(". RSS: vibeD's VmRSS after the deploys (static sites have no sandbox process).\n\n");
        r.append("| N apps | deploy p50 ms | deploy p90 ms | p50 / N=").append(base.apps()).append(" | p90 / N=").append(base.apps())
                .append(" | route mean ms | route / N=").append(base.apps()).append(" | vibeD RSS MB |\n|---|---|---|---|---|---|---|---|\n");
        points.values().forEach(p -> r.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.2fx | %.2fx | %.2f | %.2fx | %.0f |%n",
                p.apps(), p.deployMs().p50(), p.deployMs().p(90), p.deployMs().p50() / base.deployMs().p50(),
                p.deployMs().p(90) / base.deployMs().p(90), p.routeMeanMs(), p.routeMeanMs() / base.routeMeanMs(), p.rssMb())));
        r.append("\nMean ms per deploy stage of those deploys (`vibed_deploy_stage_seconds`; each stage runs from the end of the one before):\n\n");
        r.append("| N apps |");
        ScaleBench.STAGES.forEach(s -> r.append(' ').append(s).append(" |"));
        r.append("\n|---|").append("---|".repeat(ScaleBench.STAGES.size())).append('\n');
        points.values().forEach(p -> {
            r.append("| ").append(p.apps()).append(" |");
            ScaleBench.STAGES.forEach(s -> r.append(String.format(Locale.ROOT, " %.1f |", p.stageMeansMs().get(s))));
            r.append('\n');
        });
        r.append("\nThe same numbers are in the CSV next to this report.\n\n![deploy and route latency against the number of apps](scale-latency.png)\n");
        return r.toString();
    }

    private static void proxySection(StringBuilder r, Bench.Options o, ProxyRounds proxy) {
        int n = proxy.rounds().size();
        Map<String, Wrk> medians = proxy.medians();
        r.append("`wrk -t2 -c16 -d").append(o.wrkSeconds()).append("s --latency` against the same Node app: direct to its port, through "
                + "vibeD's embedded proxy (Host header), and through Caddy 2 `reverse_proxy` to the same port. wrk, the proxy and the app "
                + "share the machine. ").append(n).append(" interleaved rounds (direct, embedded, Caddy, then again), after an unmeasured "
                + "warm-up run through each proxy; each figure is the median over the rounds.\n\n");
        r.append("| path | requests/s | p50 ms | p99 ms | added p50 ms (vs direct, median of the rounds) | requests/s, round by round |\n"
                + "|---|---|---|---|---|---|\n");
        medians.forEach((name, w) -> r.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %s | %s |%n", name,
                w.requestsPerSecond(), w.p50Ms(), w.p99Ms(),
                name.equals(ProxyRounds.DIRECT) ? "-" : String.format(Locale.ROOT, "%.2f", proxy.medianAddedP50(name)),
                String.join(", ", proxy.rounds().stream().map(round -> String.format(Locale.ROOT, "%.0f", round.get(name).requestsPerSecond())).toList()))));
        if (medians.containsKey(ProxyRounds.CADDY)) {
            r.append(String.format(Locale.ROOT, "%nEmbedded proxy / Caddy throughput (median of the rounds' ratios): **%.2fx**; added p50 %.2f ms vs"
                            + " Caddy's %.2f ms.%n", proxy.medianThroughputRatio(ProxyRounds.EMBEDDED, ProxyRounds.CADDY),
                    proxy.medianAddedP50(ProxyRounds.EMBEDDED), proxy.medianAddedP50(ProxyRounds.CADDY)));
        }
    }
}
