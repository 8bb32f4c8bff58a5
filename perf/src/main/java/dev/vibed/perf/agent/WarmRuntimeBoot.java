package dev.vibed.perf.agent;

import dev.vibed.agent.Isolation;
import dev.vibed.agent.testing.Apps;
import dev.vibed.agent.testing.FreePort;
import dev.vibed.agent.testing.TestAgent;
import dev.vibed.core.testing.TarGz;
import dev.vibed.perf.Machine;
import dev.vibed.perf.Poll;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures what a warm runtime saves: inject-to-listening time of a Node and a Python app through a pre-started
 * runtime ({@code --warm-runtime}), through today's cold spawn, and the same app started bare by hand
 * ({@code node server.js}, {@code python3 app.py}, no agent, no sandbox), interleaved in one run. Every mode is timed
 * the same way: from the moment the deploy (or the bare spawn) begins to the first HTTP 200 on the app's port,
 * polled every millisecond. Agents run under bubblewrap, as in production; the app is stopped between runs, so
 * each inject lands in an idle sandbox whose warm runtime (if any) is ready, as a claimed warm sandbox is.
 * <p>
 * Run from the repository root: {@code ./vibed bench agent [runs]} (results: perf/warm-runtime.md).
 */
public final class WarmRuntimeBoot {
    private WarmRuntimeBoot() {
    }

    private static final String PYTHON_APP = """
            import http.server, os
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200)
                    self.send_header('Content-Length', '2')
                    self.end_headers()
                    self.wfile.write(b'ok')
            if __name__ == '__main__':
                http.server.HTTPServer((os.environ['HOST'], int(os.environ['PORT'])), Handler).serve_forever()
            """;

    record App(String template, String file, String source, String interpreter) {
    }

    /** @param injectMs until POST /inject answered (download, extract, plan, start); 0 for a bare start */
    record Sample(double totalMs, double injectMs) {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path work = Files.createTempDirectory("vibed-warm-runtime");
        PrintStream out = System.out;
        List<App> apps = List.of(new App("node", "server.js", Apps.nodeServer("warm"), "/usr/bin/node"),
                new App("python", "app.py", PYTHON_APP, "/usr/bin/python3"));
        double[] load = loadAverage();
        out.printf("%s, %d runs per mode, %d cpus, load average at start %.2f %.2f %.2f%n", Instant.now(), runs,
                Runtime.getRuntime().availableProcessors(), load[0], load[1], load[2]);
        Map<String, Map<String, List<Sample>>> results = new LinkedHashMap<>();
        for (App app : apps) {
            try (TestAgent cold = agent(work.resolve(app.template() + "-cold"), "none");
                 TestAgent warm = agent(work.resolve(app.template() + "-warm"), app.template())) {
                Path bareDir = Files.createDirectories(work.resolve(app.template() + "-bare"));
                Files.writeString(bareDir.resolve(app.file()), app.source());
                Map<String, List<Sample>> byMode = new LinkedHashMap<>();
                for (String mode : List.of("bare", "cold", "warm")) {
                    byMode.put(mode, new ArrayList<>());
                }
                TarGz archive = TarGz.create().file(app.file(), app.source());
                deploy(cold, archive, app); // not measured: the first inject also warms the agent's own code paths
                deploy(warm, archive, app);
                for (int i = 0; i < runs; i++) {
                    byMode.get("bare").add(bare(app, bareDir));
                    byMode.get("cold").add(deploy(cold, archive, app));
                    byMode.get("warm").add(deploy(warm, archive, app));
                }
                results.put(app.template(), byMode);
            }
        }
        report(out, runs, results);
        dev.vibed.core.files.FileTrees.deleteTree(work);
    }

    private static TestAgent agent(Path dir, String warmRuntime) throws IOException {
        Files.createDirectories(dir);
        return TestAgent.start(dir, o -> o.withIsolation(Isolation.BWRAP).withWarmRuntime(warmRuntime));
    }

    /** One inject into an idle agent, in ms to the first 200; then stops the app and lets the agent settle. */
    private static Sample deploy(TestAgent agent, TarGz archive, App app) throws Exception {
        long t0 = System.nanoTime();
        var r = agent.inject(archive, app.template(), Map.of(), null);
        double injectMs = (System.nanoTime() - t0) / 1e6;
        if (r.statusCode() != 202) {
            throw new IllegalStateException("inject answered " + r.statusCode() + ": " + r.body());
        }
        double ms = awaitOk(agent.options().appPort(), t0);
        agent.post("/stop", "");
        awaitSettled(agent);
        return new Sample(ms, injectMs);
    }

    /** The same app started by hand, in ms to the first 200. */
    private static Sample bare(App app, Path dir) throws Exception {
        int port = FreePort.find();
        ProcessBuilder pb = new ProcessBuilder(app.interpreter(), app.file()).directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(Map.of("PORT", Integer.toString(port), "HOST", "127.0.0.1", "PATH",
                "/usr/bin:/bin", "LANG", "C.UTF-8", "PYTHONUNBUFFERED", "1"));
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            return new Sample(awaitOk(port, t0), 0);
        } finally {
            p.destroy();
            p.waitFor(); // nothing of a bare start runs on after it: no agent, no refill to wait for
        }
    }

    /**
     * Until the agent is as a claimed warm sandbox finds it: its warm runtime (if it has one) refilled in the
     * background, and the agent and everything under it quiet, so the refill's CPU does not land in the next sample.
     */
    private static void awaitSettled(TestAgent agent) throws Exception {
        if (!agent.options().warmRuntime().equals("none")
                && !Poll.until(Duration.ofSeconds(30), Duration.ofMillis(20), () -> agent.processesWithWarmRuntimeWaiting().isPresent())) {
            throw new IllegalStateException("the warm runtime was not refilled within 30 s of the stop");
        }
        if (!Machine.awaitIdle(agent.handle().pid(), Duration.ofMillis(200), Duration.ofSeconds(30))) {
            throw new IllegalStateException("the agent did not go quiet within 30 s of the stop");
        }
    }

    private static double awaitOk(int port, long t0) throws InterruptedException {
        long deadline = t0 + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (answers200(port)) {
                return (System.nanoTime() - t0) / 1e6;
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("nothing answered 200 on port " + port + " within 30 s");
    }

    private static boolean answers200(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(5000);
            OutputStream o = s.getOutputStream();
            o.write("GET / HTTP/1.0\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            return new String(head, StandardCharsets.US_ASCII).matches("HTTP/1\\.[01] 200");
        } catch (IOException e) {
            return false;
        }
    }

    private static void report(PrintStream out, int runs, Map<String, Map<String, List<Sample>>> results) {
        out.println();
        out.println("| runtime | mode | p50 ms | p90 ms | p50 / bare p50 | p90 / bare p90 | p50 / cold p50"
                + " | inject answered p50 ms | inject answered to 200, p50 ms |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        results.forEach((runtime, byMode) -> {
            double bare50 = pct(totals(byMode.get("bare")), 50);
            double bare90 = pct(totals(byMode.get("bare")), 90);
            double cold50 = pct(totals(byMode.get("cold")), 50);
            byMode.forEach((mode, samples) -> {
                List<Double> totals = totals(samples);
                List<Double> after = samples.stream().map(x -> x.totalMs() - x.injectMs()).toList();
                String inject = mode.equals("bare") ? "-" : String.format("%.0f",
                        pct(samples.stream().map(Sample::injectMs).toList(), 50));
                out.printf("| %s | %s | %.0f | %.0f | %.2fx | %.2fx | %.2fx | %s | %.0f |%n", runtime, mode,
                        pct(totals, 50), pct(totals, 90), pct(totals, 50) / bare50, pct(totals, 90) / bare90,
                        pct(totals, 50) / cold50, inject, pct(after, 50));
            });
        });
        double[] load = loadAverage();
        out.printf("%nload average at the end %.2f %.2f %.2f; %d runs per mode%n", load[0], load[1], load[2], runs);
    }

    private static List<Double> totals(List<Sample> samples) {
        return samples.stream().map(Sample::totalMs).toList();
    }

    private static double pct(List<Double> values, int p) {
        return AgentFootprint.pct(values, p);
    }

    private static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return new double[]{Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException e) {
            return new double[3];
        }
    }
}
