package dev.vibed.perf.agent;

import dev.vibed.agent.AgentHandle;
import dev.vibed.agent.AgentLauncher;
import dev.vibed.agent.AgentOptions;
import dev.vibed.agent.Isolation;
import dev.vibed.agent.testing.Apps;
import dev.vibed.agent.testing.FreePort;
import dev.vibed.agent.testing.SourceServer;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.agent.InjectRequest;
import dev.vibed.core.json.Jsons;
import dev.vibed.core.testing.TarGz;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.spi.ToolProvider;

/**
 * Measures what one agent costs a warm sandbox and what its first inject costs the user, over N fresh starts per
 * mode, the modes interleaved so that they share the machine's load: time from process start to the ready line,
 * the first static inject (request to answer, and to the first page served), a second one for comparison, and
 * resident memory (VmRSS) at ready and after a realistic activity script (static inject, 300 GETs through the
 * agent's static server, a second static inject, a node inject with 50 GETs, 20 log reads, then 1 s idle, and
 * again 8 s later).
 * <p>
 * Run as perf/agent-footprint.md says: {@code -Dfootprint.baseline=<classes folder>} adds another build of the
 * agent (compiled from git) as the baseline; arguments are the number of starts per mode, then any
 * {@code name=flags} modes (this build plus those JVM flags). The agent's own classes are packed into jars first:
 * CDS archives classes from jars only. Each mode has its own CDS archive, made by one unmeasured agent that is
 * started and stopped idle, as a pool agent is.
 */
public final class AgentFootprint {
    /** When the two readings after the activity are taken: measurement points in time, not waits for an event. */
    private static final Duration SOON_AFTER = Duration.ofSeconds(1);
    private static final Duration LATER = Duration.ofSeconds(8);
    private static final String TOKEN = "footprint-token";

    private AgentFootprint() {
    }

    /**
     * A way to start the agent: its classpath, the launcher's JVM flags for a cache folder, and extra flags after
     * them (a later flag wins).
     */
    record Mode(String name, List<Path> classpath, Function<Path, List<String>> flags, List<String> extraFlags) {
    }

    record Sample(double readyMs, double firstInjectMs, double firstServedMs, double secondInjectMs,
                  long rssAtReadyKb, long rssAfterActivityKb, long rssIdleKb, long anonIdleKb) {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path work = Files.createTempDirectory("vibed-footprint");
        Path javaHome = Path.of(System.getProperty("java.home"));
        List<Path> classpath = jarClasspath(work, AgentLauncher.defaultClasspath(), null);
        PrintStream out = System.out;
        out.printf("java: %s, %d cpus, %d runs per mode%n", System.getProperty("java.vm.version"),
                Runtime.getRuntime().availableProcessors(), runs);

        List<Mode> modes = new ArrayList<>();
        String baseline = System.getProperty("footprint.baseline");
        if (baseline != null) {
            modes.add(baselineMode(Path.of(baseline), work));
        }
        modes.add(new Mode("this build", classpath, AgentLauncher::jvmFlags, List.of()));
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            modes.add(new Mode(args[i].substring(0, eq), classpath, AgentLauncher::jvmFlags,
                    List.of(args[i].substring(eq + 1).trim().split("\\s+"))));
        }
        Map<Mode, List<Sample>> samples = new LinkedHashMap<>();
        try (SourceServer sources = new SourceServer()) {
            Activity activity = new Activity(sources);
            for (Mode m : modes) {
                samples.put(m, new ArrayList<>());
                AgentOptions opts = options(work, m);
                // The CDS archive is written when this first agent exits, as when an idle pool agent is stopped.
                try (AgentHandle a = start(javaHome, opts, m, work)) {
                    a.pid();
                }
                Path jsa = opts.cacheDir().resolve("agent.jsa");
                out.printf("%s: CDS archive %d KB%n", m.name(), Files.exists(jsa) ? Files.size(jsa) / 1024 : -1);
            }
            for (int i = 0; i < runs; i++) {
                for (Mode m : modes) {
                    samples.get(m).add(measure(javaHome, options(work, m), m, work, activity));
                }
            }
        }
        out.println();
        out.println("| mode | ready p50 / p90 | first inject answered p50 / p90 | first page served p50 / p90"
                + " | second inject p50 / p90 | RSS at ready p50 / p90 | RSS after activity p50 / p90"
                + " | RSS 8 s later p50 / p90 | of it RssAnon p50 / p90 |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (var e : samples.entrySet()) {
            List<Sample> s = e.getValue();
            out.printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", e.getKey().name(),
                    ms(s, Sample::readyMs), ms(s, Sample::firstInjectMs), ms(s, Sample::firstServedMs),
                    ms(s, Sample::secondInjectMs), mb(s, Sample::rssAtReadyKb), mb(s, Sample::rssAfterActivityKb),
                    mb(s, Sample::rssIdleKb), mb(s, Sample::anonIdleKb));
        }
        for (Mode m : modes) {
            out.println("command (" + m.name() + "): " + String.join(" ", command(javaHome, options(work, m), m)));
            Files.readAllLines(work.resolve("agent-" + m.name() + ".log")).stream()
                    .filter(l -> l.contains("warm-up")).skip(1).limit(3)
                    .forEach(l -> out.println("  " + l.substring(l.indexOf("warm-up"))));
        }
        dev.vibed.core.files.FileTrees.deleteTree(work);
    }

    /**
     * The agent as another build made it: its classes in place of this build's, and its launcher's own JVM flags,
     * read from its AgentLauncher (it needs nothing but the JDK for that).
     */
    private static Mode baselineMode(Path classes, Path work) throws Exception {
        Path agentClasses = Path.of(AgentLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> cp = jarClasspath(work, AgentLauncher.defaultClasspath(), Map.entry(agentClasses, classes));
        ClassLoader loader = new java.net.URLClassLoader(new java.net.URL[]{classes.toUri().toURL()}, null);
        var jvmFlags = loader.loadClass(AgentLauncher.class.getName()).getMethod("jvmFlags", Path.class);
        Function<Path, List<String>> flags = cache -> {
            try {
                @SuppressWarnings("unchecked")
                List<String> f = (List<String>) jvmFlags.invoke(null, cache);
                return f;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
        return new Mode("baseline", cp, flags, List.of());
    }

    private static AgentOptions options(Path work, Mode m) {
        String dir = m.name().replaceAll("\\W", "-");
        return AgentOptions.defaults(work.resolve("ws-" + dir)).withControlPort(0).withAppPort(FreePort.find())
                .withIsolation(Isolation.NONE).withStopGrace(Duration.ofSeconds(2))
                .withCacheDir(work.resolve("cache-" + dir));
    }

    private static List<String> command(Path javaHome, AgentOptions opts, Mode m) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin/java").toString());
        cmd.addAll(m.flags().apply(opts.cacheDir()));
        cmd.addAll(m.extraFlags());
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, m.classpath().stream().map(Path::toString).toList()));
        cmd.add("dev.vibed.agent.AgentMain");
        cmd.addAll(opts.toArgs());
        return cmd;
    }

    private static AgentHandle start(Path javaHome, AgentOptions opts, Mode m, Path work) throws IOException {
        return AgentLauncher.start(command(javaHome, opts, m), opts, TOKEN, work.resolve("agent-" + m.name() + ".log"),
                Duration.ofSeconds(30));
    }

    private static Sample measure(Path javaHome, AgentOptions opts, Mode m, Path work, Activity activity)
            throws Exception {
        long t0 = System.nanoTime();
        try (AgentHandle agent = start(javaHome, opts, m, work)) {
            double readyMs = (System.nanoTime() - t0) / 1e6;
            long atReady = rssKb(agent.pid());
            double[] first = activity.staticInject(agent, "rev-1");
            activity.gets(agent.appPort(), 300);
            double second = activity.staticInject(agent, "rev-2")[0];
            activity.nodeInject(agent, "rev-3");
            activity.gets(agent.appPort(), 50);
            activity.logReads(agent, 20);
            // Not a wait for anything: the report's "RSS 1 s after activity" is a reading at this time, taken
            // before the settling collection and the trim have run (see perf/agent-footprint.md).
            Thread.sleep(SOON_AFTER.toMillis());
            if (m.extraFlags().stream().anyMatch(f -> f.startsWith("-XX:NativeMemoryTracking"))) {
                new ProcessBuilder(javaHome.resolve("bin/jcmd").toString(), Long.toString(agent.pid()),
                        "VM.native_memory", "summary", "scale=KB").inheritIO().start().waitFor();
            }
            long afterActivity = rssKb(agent.pid());
            Thread.sleep(LATER.toMillis()); // nor this: the report's "RSS 8 s later" is a reading this much later
            return new Sample(readyMs, first[0], first[1], second, atReady, afterActivity, rssKb(agent.pid()),
                    status(agent.pid(), "RssAnon:"));
        }
    }

    /** The control plane's side of the script: a client of the control API and of the app. */
    static final class Activity {
        private final SourceServer sources;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final byte[] site = TarGz.create()
                .file("index.html", "<!doctype html><h1>hello</h1>" + "x".repeat(2000))
                .file("app.js", "console.log('hi')").file("style.css", "body{}").bytes();
        private final byte[] nodeApp = TarGz.create().file("server.js", Apps.nodeServer("hi")).bytes();

        Activity(SourceServer sources) {
            this.sources = sources;
        }

        /** Times from the inject request to its answer, and to the first page the app served. */
        double[] staticInject(AgentHandle agent, String revision) throws Exception {
            String url = sources.put("site.tar.gz", site);
            long t0 = System.nanoTime();
            HttpResponse<String> r = inject(agent, new InjectRequest(url, SourceServer.sha256(site), Map.of(), null,
                    agent.appPort(), "static", "", revision));
            double answered = (System.nanoTime() - t0) / 1e6;
            if (r.statusCode() != 202) {
                throw new IllegalStateException("inject answered " + r.statusCode() + ": " + r.body());
            }
            while (get(agent.appPort(), "/") != 200) {
                Thread.onSpinWait();
            }
            return new double[]{answered, (System.nanoTime() - t0) / 1e6};
        }

        void nodeInject(AgentHandle agent, String revision) throws Exception {
            String url = sources.put("node.tar.gz", nodeApp);
            HttpResponse<String> r = inject(agent, new InjectRequest(url, SourceServer.sha256(nodeApp), Map.of(),
                    null, agent.appPort(), "node", "", revision));
            if (r.statusCode() != 202) {
                throw new IllegalStateException("inject answered " + r.statusCode() + ": " + r.body());
            }
            // Each long-poll answers when the status changes from the last one seen: no interval to choose.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String since = "none";
            while (true) {
                AgentStatus s = AgentStatus.fromJson(Jsons.parseObject(control(agent, "/status?wait=2000&since=" + since).body()));
                if (revision.equals(s.revision()) && s.listening()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the node app did not listen: " + s);
                }
                since = s.changeTag();
            }
        }

        void gets(int port, int n) throws Exception {
            for (int i = 0; i < n; i++) {
                int status = get(port, i % 3 == 0 ? "/" : i % 3 == 1 ? "/app.js" : "/style.css");
                if (status != 200 && status != 404) {
                    throw new IllegalStateException("the app answered " + status);
                }
            }
        }

        void logReads(AgentHandle agent, int n) throws Exception {
            for (int i = 0; i < n; i++) {
                control(agent, "/logs?tail=100");
            }
        }

        private int get(int port, String path) throws Exception {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                return -1;
            }
        }

        private HttpResponse<String> inject(AgentHandle agent, InjectRequest req) throws Exception {
            return http.send(HttpRequest.newBuilder(agent.controlUri().resolve("/inject"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(req.toJson().toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        private HttpResponse<String> control(AgentHandle agent, String path) throws Exception {
            return http.send(HttpRequest.newBuilder(agent.controlUri().resolve(path))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String ms(List<Sample> s, Function<Sample, Double> f) {
        List<Double> v = s.stream().map(f).toList();
        return String.format("%.0f / %.0f ms", pct(v, 50), pct(v, 90));
    }

    private static String mb(List<Sample> s, Function<Sample, Long> f) {
        List<Double> v = s.stream().map(x -> f.apply(x) / 1024.0).toList();
        return String.format("%.1f / %.1f MB", pct(v, 50), pct(v, 90));
    }

    /** Nearest-rank percentile. */
    static double pct(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static long rssKb(long pid) throws IOException {
        return status(pid, "VmRSS:");
    }

    /** A size in KB from /proc/pid/status: VmRSS, or RssAnon (the part no other process shares). */
    private static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no " + field + " for " + pid);
    }

    /**
     * The launcher's classpath with any class folder packed into a jar (the JDK's own jar tool), and with one
     * folder swapped for another when {@code swap} says so.
     */
    private static List<Path> jarClasspath(Path work, List<Path> classpath, Map.Entry<Path, Path> swap)
            throws IOException {
        List<Path> out = new ArrayList<>();
        ToolProvider jar = ToolProvider.findFirst("jar").orElseThrow();
        for (Path p : classpath) {
            Path source = swap != null && p.equals(swap.getKey()) ? swap.getValue() : p;
            if (Files.isDirectory(source)) {
                Path packed = work.resolve("classes-" + Integer.toHexString(source.hashCode()) + ".jar");
                int rc = jar.run(System.out, System.err, "--create", "--file", packed.toString(), "-C",
                        source.toString(), ".");
                if (rc != 0) {
                    throw new IOException("jar failed for " + source);
                }
                out.add(packed);
            } else {
                out.add(source);
            }
        }
        return out;
    }
}
