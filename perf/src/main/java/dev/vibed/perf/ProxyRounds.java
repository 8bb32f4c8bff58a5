package dev.vibed.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The proxy comparison as interleaved rounds: each round runs wrk direct, through vibeD's embedded proxy and through
 * Caddy, one after the other, so a burst of load from elsewhere on this 2-core machine lands on every path of a
 * round instead of on one path's only run. The figures reported are medians over the rounds, and the ratio against
 * Caddy is the median of the rounds' own ratios. Caddy runs once for all rounds; an unmeasured warm-up run through
 * each proxy comes first, so no round pays a JIT or a first connection.
 */
final class ProxyRounds {
    static final String DIRECT = "direct";
    static final String EMBEDDED = "embedded proxy";
    static final String CADDY = "caddy";

    private final List<Map<String, Wrk>> rounds;

    private ProxyRounds(List<Map<String, Wrk>> rounds) {
        this.rounds = rounds;
    }

    /**
     * @param target the app's own host:port
     * @param embeddedUrl vibeD's address, reached with {@code host} as the Host header
     * @param caddy whether to include Caddy ({@code caddy} on the PATH)
     */
    static ProxyRounds run(String target, String embeddedUrl, String host, boolean caddy, Path work, int seconds, int count)
            throws IOException, InterruptedException {
        Process caddyProcess = null;
        String caddyUrl = null;
        try {
            if (caddy) {
                int port = Machine.freePort();
                caddyProcess = startCaddy(target, port, work);
                caddyUrl = "http://127.0.0.1:" + port + "/";
                Wrk.run(caddyUrl, null, 1);
            }
            Wrk.run(embeddedUrl, host, 1);
            List<Map<String, Wrk>> rounds = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Map<String, Wrk> round = new LinkedHashMap<>();
                round.put(DIRECT, Wrk.run("http://" + target + "/", null, seconds));
                round.put(EMBEDDED, Wrk.run(embeddedUrl, host, seconds));
                if (caddyUrl != null) {
                    round.put(CADDY, Wrk.run(caddyUrl, null, seconds));
                }
                rounds.add(round);
            }
            return new ProxyRounds(List.copyOf(rounds));
        } finally {
            if (caddyProcess != null) {
                caddyProcess.destroy();
                caddyProcess.waitFor();
            }
        }
    }

    private static Process startCaddy(String target, int port, Path work) throws IOException, InterruptedException {
        Path file = work.resolve("Caddyfile");
        Files.writeString(file, "{\n  admin off\n  auto_https off\n}\n:" + port + " {\n  bind 127.0.0.1\n  reverse_proxy " + target + "\n}\n");
        Process caddy = new ProcessBuilder("caddy", "run", "--config", file.toString(), "--adapter", "caddyfile")
                .redirectErrorStream(true).redirectOutput(work.resolve("caddy.log").toFile()).start();
        if (Machine.awaitPort(port, caddy, System.nanoTime(), 20_000) < 0) {
            caddy.destroy();
            throw new IOException("caddy did not start; see " + work.resolve("caddy.log"));
        }
        return caddy;
    }

    List<Map<String, Wrk>> rounds() {
        return rounds;
    }

    /** Each path's median over the rounds (throughput and each percentile on their own), in the rounds' order. */
    Map<String, Wrk> medians() {
        Map<String, Wrk> medians = new LinkedHashMap<>();
        for (String path : rounds.getFirst().keySet()) {
            List<Wrk> runs = rounds.stream().map(r -> r.get(path)).toList();
            medians.put(path, new Wrk(median(runs, Wrk::requestsPerSecond), median(runs, Wrk::p50Ms), median(runs, Wrk::p99Ms)));
        }
        return medians;
    }

    /** The median over the rounds of {@code a}'s throughput over {@code b}'s in the same round. */
    double medianThroughputRatio(String a, String b) {
        return median(rounds, r -> r.get(a).requestsPerSecond() / r.get(b).requestsPerSecond());
    }

    /** The median over the rounds of {@code path}'s p50 minus the direct p50 of the same round. */
    double medianAddedP50(String path) {
        return median(rounds, r -> r.get(path).p50Ms() - r.get(DIRECT).p50Ms());
    }

    private static <T> double median(List<T> values, ToDoubleFunction<T> f) {
        List<Double> sorted = values.stream().map(f::applyAsDouble).sorted(Comparator.naturalOrder()).toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
