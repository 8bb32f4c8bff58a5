package dev.vibed.standalone.sandbox;

import dev.vibed.agent.Isolation;
import dev.vibed.standalone.Standalone;
import dev.vibed.standalone.StandaloneConfig;
import dev.vibed.standalone.testing.Apps;
import dev.vibed.standalone.testing.Http;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a private network costs a sandbox, against a sandbox on the host network measured in the same run:
 * start time (factory start to agent ready, and pasta alone), pasta's memory, and requests through vibeD's proxy
 * and straight to the app port (wrk). Not a test: run by hand, see perf/sandbox-network.md.
 *
 * <p>Arguments: {@code [starts per mode] [wrk seconds] [rounds]}.
 */
public final class SandboxNetworkBench {
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PCT = Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);

    private SandboxNetworkBench() {
    }

    public static void main(String[] args) throws Exception {
        int starts = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path work = Files.createTempDirectory("vibed-netbench");
        Path cache = Path.of("services/standalone/target/agent-cache").toAbsolutePath();
        SandboxNetworks privateNet = SandboxNetworks.forThisMachine();
        if (!privateNet.isolated()) {
            throw new IllegalStateException("pasta does not work here: nothing to compare");
        }
        Path java = Path.of(System.getProperty("java.home"));
        ProcessAgentFactory shared = new ProcessAgentFactory(java, cache, null, Isolation.BWRAP, SandboxNetworks.shared());
        ProcessAgentFactory isolated = new ProcessAgentFactory(java, cache, null, Isolation.BWRAP, privateNet);

        System.out.println("## Start, " + starts + " per mode, alternating (ms, median / p90)");
        Map<String, List<Double>> times = new TreeMap<>();
        List<Double> netnsOnly = new ArrayList<>();
        List<Double> pastaRss = new ArrayList<>();
        shared.start("warmup", "node", Files.createDirectories(work.resolve("warmup"))).destroy();
        for (int i = 0; i < starts; i++) {
            for (var mode : List.of(Map.entry("host network", shared), Map.entry("own namespace", isolated))) {
                Path dir = Files.createDirectories(work.resolve(mode.getKey().replace(' ', '-') + "-" + i));
                long t0 = System.nanoTime();
                LocalAgent agent = mode.getValue().start("bench-" + i, "node", dir);
                times.computeIfAbsent(mode.getKey(), k -> new ArrayList<>()).add((System.nanoTime() - t0) / 1e6);
                if (mode.getValue() == isolated) {
                    long pid = Long.parseLong(Files.readString(dir.resolve(SandboxNetns.PID_FILE)).trim());
                    pastaRss.add(rssMb(pid));
                }
                agent.destroy();
            }
            Path dir = Files.createDirectories(work.resolve("ns-" + i));
            long t0 = System.nanoTime();
            try (SandboxNetns ns = privateNet.open(dir, List.of(freePort()))) {
                netnsOnly.add((System.nanoTime() - t0) / 1e6);
            }
        }
        times.forEach((k, v) -> System.out.printf("| %s | %.0f | %.0f |%n", k, pct(v, 50), pct(v, 90)));
        System.out.printf("| pasta namespace alone | %.0f | %.0f |%n", pct(netnsOnly, 50), pct(netnsOnly, 90));
        System.out.printf("pasta VmRSS: median %.1f MB, p90 %.1f MB%n", pct(pastaRss, 50), pct(pastaRss, 90));

        System.out.println();
        System.out.println("## Requests (wrk -t2 -c16 -d" + seconds + "s --latency), " + rounds + " rounds, alternating");
        try (Standalone a = standalone(work.resolve("sa-shared"), shared);
             Standalone b = standalone(work.resolve("sa-private"), isolated)) {
            Target ta = deploy(a);
            Target tb = deploy(b);
            Map<String, List<double[]>> results = new TreeMap<>();
            for (int r = 0; r < rounds; r++) {
                results.computeIfAbsent("1 proxy, host network (baseline)", k -> new ArrayList<>()).add(wrk(ta.proxy(), ta.host(), seconds));
                results.computeIfAbsent("2 proxy, own namespace", k -> new ArrayList<>()).add(wrk(tb.proxy(), tb.host(), seconds));
                results.computeIfAbsent("3 app port, host network", k -> new ArrayList<>()).add(wrk(ta.direct(), null, seconds));
                results.computeIfAbsent("4 app port through pasta", k -> new ArrayList<>()).add(wrk(tb.direct(), null, seconds));
            }
            double base = results.get("1 proxy, host network (baseline)").stream().mapToDouble(x -> x[0]).average().orElse(1);
            System.out.println("| path | rps per round | mean rps / baseline | p50 ms per round | p99 ms per round |");
            System.out.println("|---|---|---|---|---|");
            results.forEach((k, v) -> {
                double mean = v.stream().mapToDouble(x -> x[0]).average().orElse(0);
                System.out.printf("| %s | %s | %.2f | %s | %s |%n", k.substring(2),
                        String.join(", ", v.stream().map(x -> String.format("%.0f", x[0])).toList()), mean / base,
                        String.join(", ", v.stream().map(x -> String.format("%.2f", x[1])).toList()),
                        String.join(", ", v.stream().map(x -> String.format("%.2f", x[2])).toList()));
            });
        }
        privateNet.close();
    }

    private record Target(URI proxy, String host, URI direct) {
    }

    private static Standalone standalone(Path data, ProcessAgentFactory agents) throws IOException {
        return Standalone.start(StandaloneConfig.defaults(data).withPort(0).withTemplates(Set.of("node")), agents);
    }

    private static Target deploy(Standalone vibed) {
        Http http = new Http(vibed.apiUri());
        Http.Response res = http.deploy(Apps.nodeServer("bench"), "{\"name\":\"bench\"}");
        if (res.status() != 200) {
            throw new IllegalStateException("deploy failed: " + res.body());
        }
        String id = res.json().getString("app_id");
        String route = vibed.store().get(id).orElseThrow().status().routeTarget();
        return new Target(vibed.apiUri(), URI.create(res.json().getString("url")).getAuthority(),
                URI.create("http://" + route));
    }

    /** @return {rps, p50 ms, p99 ms} */
    private static double[] wrk(URI base, String host, int seconds) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t2", "-c16", "-d" + seconds + "s", "--latency"));
        if (host != null) {
            cmd.addAll(List.of("-H", "Host: " + host));
        }
        cmd.add(base + "/");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher rps = RPS.matcher(out);
        if (!rps.find() || out.contains("Non-2xx")) {
            throw new IllegalStateException("wrk failed or got errors:\n" + out);
        }
        double[] r = {Double.parseDouble(rps.group(1)), 0, 0};
        Matcher m = PCT.matcher(out);
        while (m.find()) {
            double v = Double.parseDouble(m.group(2)) * switch (m.group(3)) {
                case "us" -> 0.001;
                case "s" -> 1000;
                default -> 1;
            };
            r[m.group(1).equals("50") ? 1 : 2] = v;
        }
        return r;
    }

    private static double rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return 0;
    }

    private static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static double pct(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
