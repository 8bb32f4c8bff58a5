package dev.vibed.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./vibed bench}: deploy-to-URL per template against the app's bare boot, parallel deploys, the embedded
 * proxy against direct and Caddy, the footprint, and deploy and route cost against the number of apps, each against a baseline measured in the same run; writes a
 * Markdown report. Every run is bounded: counts and the wrk duration are flags.
 */
public final class Bench {
    /** What to run. */
    /** @param baselineJar another build's standalone jar, run beside this one for the sequential deploys (null: none) */
    public record Options(Path root, Path out, int deploys, List<Integer> parallel, int wrkSeconds, List<String> templates,
                          boolean caddy, List<Integer> scale, Path baselineJar) {
        public Options(Path root, Path out, int deploys, List<Integer> parallel, int wrkSeconds, List<String> templates,
                       boolean caddy, List<Integer> scale) {
            this(root, out, deploys, parallel, wrkSeconds, templates, caddy, scale, null);
        }

        public static Options defaults(Path root) {
            return new Options(root, root.resolve("perf/RESULTS.md"), 50, List.of(10, 25, 50), 5,
                    List.of("static", "node", "python"), true, List.of(1, 100, 1000));
        }

        Options withScale(List<Integer> value) {
            return new Options(root, out, deploys, parallel, wrkSeconds, templates, caddy, value, baselineJar);
        }

        Options withBaselineJar(Path value) {
            return new Options(root, out, deploys, parallel, wrkSeconds, templates, caddy, scale, value);
        }
    }

    /** The numbers a run produced (also written to the report), for the smoke test. */
    public record Result(Map<String, Stats> deployMs, Map<String, Stats> bareMs, Map<Integer, Stats> parallelMs,
                         Map<Integer, Integer> parallelOk, Map<String, Wrk> proxy, double controlPlaneIdleMb,
                         double agentMaxMb, String slowestStage, Map<Integer, ScaleBench.Point> scale, String report) {
    }

    /** Interleaved rounds of the proxy comparison; three give a median that one noisy run cannot move. */
    private static final int PROXY_ROUNDS = 3;

    private final Options options;
    private final StringBuilder log = new StringBuilder();

    public Bench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.defaults(Path.of("").toAbsolutePath());
        for (int i = 0; i < args.length; i += 2) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            o = switch (args[i]) {
                case "--out" -> new Options(o.root(), Path.of(v).toAbsolutePath(), o.deploys(), o.parallel(), o.wrkSeconds(), o.templates(), o.caddy(), o.scale(), o.baselineJar());
                case "--deploys" -> new Options(o.root(), o.out(), Integer.parseInt(v), o.parallel(), o.wrkSeconds(), o.templates(), o.caddy(), o.scale(), o.baselineJar());
                case "--parallel" -> new Options(o.root(), o.out(), o.deploys(),
                        v.isEmpty() ? List.of() : java.util.Arrays.stream(v.split(",")).map(Integer::parseInt).toList(), o.wrkSeconds(), o.templates(), o.caddy(), o.scale(), o.baselineJar());
                case "--wrk-seconds" -> new Options(o.root(), o.out(), o.deploys(), o.parallel(), Integer.parseInt(v), o.templates(), o.caddy(), o.scale(), o.baselineJar());
                case "--templates" -> new Options(o.root(), o.out(), o.deploys(), o.parallel(), o.wrkSeconds(), List.of(v.split(",")), o.caddy(), o.scale(), o.baselineJar());
                case "--baseline-jar" -> o.withBaselineJar(Path.of(v).toAbsolutePath());
                case "--scale" -> o.withScale(v.isEmpty() ? List.of()
                        : java.util.Arrays.stream(v.split(",")).map(Integer::parseInt).toList());
                case "--no-caddy" -> {
                    i--;
                    yield new Options(o.root(), o.out(), o.deploys(), o.parallel(), o.wrkSeconds(), o.templates(), false, o.scale(), o.baselineJar());
                }
                default -> throw new IllegalArgumentException("unknown flag " + args[i]
                        + " (flags: --out F --deploys N --parallel 10,25,50 --wrk-seconds S --templates static,node,python --scale 1,100,1000 --no-caddy --baseline-jar other/vibed-standalone.jar)");
            };
        }
        Result r = new Bench(o).run(String.join(" ", args));
        System.out.println(r.report());
        System.out.println("written to " + o.out());
    }

    public Result run(String argsForReport) throws Exception {
        Instant started = Instant.now();
        String machine = Machine.describe();
        Path work = Files.createTempDirectory("vibed-bench");
        Path jar = options.root().resolve("services/standalone/target/vibed-standalone.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the standalone jar first: " + jar + " is missing");
        }
        Map<String, byte[]> tarballs = new LinkedHashMap<>();
        Map<String, Stats> bare = new LinkedHashMap<>();
        Map<String, Stats> bareAccept = new LinkedHashMap<>();
        for (String t : options.templates()) {
            Path dir = work.resolve("app-" + t);
            tarballs.put(t, Apps.write(t, dir));
            // Static sites are compared with the bare Node boot, the quickest thing that serves a page.
            String baseline = t.equals("python") ? "python" : "node";
            String measured = baseline.equals("node") && bare.containsKey("static") ? "static" : baseline;
            if (bare.containsKey(measured)) {
                bare.put(t, bare.get(measured));
                bareAccept.put(t, bareAccept.get(measured));
            } else {
                BareBoot boot = bareBoot(baseline, work.resolve("bare-" + baseline), options.deploys());
                bare.put(t, boot.firstOk());
                bareAccept.put(t, boot.accepted());
            }
        }

        Map<String, Stats> deploy = new LinkedHashMap<>();
        Map<String, Integer> poolMisses = new LinkedHashMap<>();
        Map<Integer, Stats> parallel = new LinkedHashMap<>();
        Map<Integer, Integer> parallelOk = new LinkedHashMap<>();
        Map<Integer, Double> parallelCpuMs = new LinkedHashMap<>();
        ProxyRounds proxyRounds = null;
        Map<String, double[]> stages;
        Map<String, Map<String, double[]>> sequentialStages = new LinkedHashMap<>();
        double idleMb;
        double agentMb = Double.NaN;
        int maxParallel = options.parallel().stream().mapToInt(Integer::intValue).max().orElse(1);
        try (Vibed vibed = Vibed.start(jar, work.resolve("data"), 1, Math.min(8, Math.max(4, maxParallel / 6)), work.resolve("vibed.log"))) {
            // The idle reading is of a control plane whose warm pools have filled and whose RSS has settled.
            for (String t : options.templates()) {
                if (!t.equals("static") && !vibed.awaitWarm(t, Duration.ofSeconds(60))) {
                    say("the %s pool did not fill in 60 s; the idle reading is taken anyway", t);
                }
            }
            idleMb = Machine.awaitSteadyRssMb(vibed.pid(), Duration.ofMillis(500), 1.0, Duration.ofSeconds(20));
            say("control plane idle RSS: %.1f MB", idleMb);

            // With a baseline build, its vibeD runs beside this one and every sequential deploy is made on both, in
            // turns: an A/B under the same load, whatever else the machine does meanwhile.
            Vibed baseline = options.baselineJar() == null ? null : Vibed.start(options.baselineJar(),
                    work.resolve("data-baseline"), 1, 4, work.resolve("vibed-baseline.log"));
            try {
                for (String t : options.templates()) {
                    List<Vibed> runs = baseline == null ? List.of(vibed) : List.of(vibed, baseline);
                    List<String> names = baseline == null ? List.of(t) : List.of(t, t + " (baseline build)");
                    List<List<Double>> ms = new ArrayList<>();
                    List<Double> missesBefore = new ArrayList<>();
                    List<Map<String, double[]>> stagesBefore = new ArrayList<>();
                    for (Vibed v : runs) {
                        ms.add(new ArrayList<>());
                        missesBefore.add(v.metric("vibed_pool_misses_total", "template", t));
                        stagesBefore.add(v.stageMeans());
                    }
                    int[] waitedOut = new int[runs.size()];
                    for (int i = 0; i < options.deploys(); i++) {
                        for (int k = 0; k < runs.size(); k++) {
                            int j = (k + i) % runs.size(); // who goes first alternates
                            Vibed v = runs.get(j);
                            // Static sites need no sandbox; the others start when their pool has refilled (see the report).
                            if (!t.equals("static") && !v.awaitWarm(t, Duration.ofSeconds(15))) {
                                waitedOut[j]++;
                            }
                            Vibed.Deployed d = v.deployToUrl(tarballs.get(t), "b-" + t + "-" + i);
                            if (!d.ok()) {
                                throw new IllegalStateException(names.get(j) + " deploy " + i + " failed: " + d.status() + " " + d.body());
                            }
                            ms.get(j).add(d.toUrlMs());
                            v.delete(d.appId());
                        }
                    }
                    for (int j = 0; j < runs.size(); j++) {
                        String name = names.get(j);
                        deploy.put(name, Stats.of(ms.get(j)));
                        bare.putIfAbsent(name, bare.get(t));
                        bareAccept.putIfAbsent(name, bareAccept.get(t));
                        sequentialStages.put(name, minus(runs.get(j).stageMeans(), stagesBefore.get(j)));
                        poolMisses.put(name, (int) (runs.get(j).metric("vibed_pool_misses_total", "template", t)
                                - missesBefore.get(j)) + waitedOut[j]);
                        say("%s deploy to URL: p50 %.0f ms (bare boot p50 %.0f ms)", name, deploy.get(name).p50(), bare.get(t).p50());
                    }
                }
            } finally {
                if (baseline != null) {
                    baseline.close();
                }
            }

            int round = 0;
            for (int n : options.parallel()) {
                round++;
                double cpuBefore = vibed.cpuMillis();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
                List<Future<Vibed.Deployed>> all = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    // The round keeps names apart when one N is repeated (--parallel 50,50,50: warmed bursts), so no
                    // deploy meets its namesake of the burst before still being deleted.
                    String name = "p" + n + "-" + round + "-" + i;
                    all.add(pool.submit(() -> vibed.deployToUrl(tarballs.get("static"), name)));
                }
                List<Double> ms = new ArrayList<>();
                int ok = 0;
                List<String> ids = new ArrayList<>();
                for (Future<Vibed.Deployed> f : all) {
                    Vibed.Deployed d = f.get();
                    if (d.ok()) {
                        ok++;
                        ms.add(d.toUrlMs());
                    } else {
                        say("a parallel deploy failed: %d %s", d.status(), d.body());
                    }
                    if (d.appId() != null) {
                        ids.add(d.appId());
                    }
                }
                pool.close();
                parallelCpuMs.put(n, (vibed.cpuMillis() - cpuBefore) / n);
                parallel.put(n, Stats.of(ms));
                parallelOk.put(n, ok);
                say("%d parallel static deploys: %d ok, p50 %.0f ms, p99 %.0f ms, vibeD CPU %.1f ms per deploy", n, ok,
                        parallel.get(n).p50(), parallel.get(n).p(99), parallelCpuMs.get(n));
                for (String id : ids) {
                    vibed.delete(id);
                }
            }

            // The proxy is measured against a Node app's port; a static-only run (--templates static) has none.
            if (tarballs.containsKey("node")) {
                Vibed.Deployed app = vibed.deployToUrl(tarballs.get("node"), "b-proxy");
                if (!app.ok()) {
                    throw new IllegalStateException("the proxy benchmark's app did not deploy: " + app.status() + " " + app.body());
                }
                String target = vibed.routeTarget(app.appId());
                proxyRounds = ProxyRounds.run(target, "http://127.0.0.1:" + vibed.port() + "/", app.host(), options.caddy(), work,
                        options.wrkSeconds(), PROXY_ROUNDS);
            } else {
                say("no node template in --templates: the proxy section is skipped");
            }
            for (long pid : vibed.agentPids()) {
                double mb = Machine.rssMb(pid);
                if (!Double.isNaN(mb)) {
                    agentMb = Double.isNaN(agentMb) ? mb : Math.max(agentMb, mb);
                }
            }
            stages = vibed.stageMeans();
        }
        Map<Integer, ScaleBench.Point> scale = new LinkedHashMap<>();
        if (!options.scale().isEmpty()) {
            Path siteDir = work.resolve("app-scale");
            scale = ScaleBench.run(jar, work, Apps.write("static", siteDir), options.scale(), this::say);
        }
        String slowest = Report.slowest(stages);
        String report = Report.write(machine, argsForReport, started, options, bare, bareAccept, deploy, parallel, parallelOk, proxyRounds,
                idleMb, agentMb, stages, slowest, poolMisses, parallelCpuMs, sequentialStages) + Report.scale(scale);
        Files.createDirectories(options.out().getParent());
        Path plots = options.out().getParent();
        Plots.deployBars(deploy, bare, plots.resolve("deploy-latency.png"));
        if (!parallel.isEmpty()) {
            Plots.parallelCdf(parallel, plots.resolve("parallel-cdf.png"));
        }
        if (!scale.isEmpty()) {
            ScaleBench.writeCsv(scale, plots.resolve(scaleCsvName()));
            Plots.scaleLines(scale, plots.resolve("scale-latency.png"));
        }
        Files.writeString(options.out(), report);
        Map<String, Wrk> proxy = proxyRounds == null ? Map.of() : proxyRounds.medians();
        return new Result(deploy, bare, parallel, parallelOk, proxy, idleMb, agentMb, slowest, scale, report);
    }

    /** Stage sums and counts of the deploys between two readings of {@link Vibed#stageMeans()}. */
    private static Map<String, double[]> minus(Map<String, double[]> after, Map<String, double[]> before) {
        Map<String, double[]> out = new LinkedHashMap<>();
        after.forEach((stage, sc) -> {
            double[] b = before.getOrDefault(stage, new double[2]);
            out.put(stage, new double[]{sc[0] - b[0], sc[1] - b[1]});
        });
        return out;
    }

    /** A bare boot's times from process start: to its first 200, and to when its port first accepted. */
    private record BareBoot(Stats firstOk, Stats accepted) {
    }

    /**
     * The app's own boot, bare: process start until its first 200, the same end as a deploy's measure (node answers
     * its first request about 10 ms after it starts accepting; python in about 1 ms).
     */
    private BareBoot bareBoot(String template, Path dir, int runs) throws IOException, InterruptedException {
        Apps.write(template, dir);
        List<Double> ms = new ArrayList<>();
        List<Double> acceptedMs = new ArrayList<>();
        for (int i = 0; i < Math.max(3, runs); i++) {
            int port = Machine.freePort();
            ProcessBuilder pb = new ProcessBuilder(Apps.bareCommand(template)).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            // The environment a sandboxed app starts with, not this process's: a variable such as
            // NODE_EXTRA_CA_CERTS makes node parse a whole CA bundle at start (80 ms here), which no sandbox pays.
            pb.environment().clear();
            pb.environment().putAll(Apps.sandboxEnv(dir, port));
            long t0 = System.nanoTime();
            Process p = pb.start();
            double accepted = Machine.awaitPort(port, p, t0, 30_000);
            double took = accepted < 0 ? -1 : Machine.awaitFirstOk(port, p, t0, 30_000);
            p.destroy();
            p.waitFor();
            if (took < 0) {
                throw new IllegalStateException("bare " + template + " app did not serve: " + Apps.bareCommand(template));
            }
            acceptedMs.add(accepted);
            ms.add(took);
        }
        return new BareBoot(Stats.of(ms), Stats.of(acceptedMs));
    }

    /** The scale CSV sits next to the report, named after it: RESULTS.md gets RESULTS-scale.csv. */
    private String scaleCsvName() {
        String name = options.out().getFileName().toString();
        return (name.endsWith(".md") ? name.substring(0, name.length() - 3) : name) + "-scale.csv";
    }

    private void say(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        log.append(line).append('\n');
        System.err.println("bench: " + line);
    }

}
