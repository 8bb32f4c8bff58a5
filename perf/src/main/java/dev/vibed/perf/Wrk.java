package dev.vibed.perf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code wrk -t2 -c16 --latency} run: requests per second and latency percentiles. */
record Wrk(double requestsPerSecond, double p50Ms, double p99Ms) {
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PCT = Pattern.compile("\\s(50|99)%\\s+([0-9.]+)(us|ms|s)\\b");

    static Wrk run(String url, String host, int seconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t2", "-c16", "-d" + seconds + "s", "--latency"));
        if (host != null) {
            cmd.addAll(List.of("-H", "Host: " + host));
        }
        cmd.add(url);
        String out = Machine.run(cmd, null);
        Matcher rps = RPS.matcher(out);
        if (!rps.find()) {
            throw new IOException("unexpected wrk output: " + out);
        }
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher m = PCT.matcher(out);
        while (m.find()) {
            double v = Double.parseDouble(m.group(2)) * switch (m.group(3)) {
                case "us" -> 0.001;
                case "s" -> 1000;
                default -> 1;
            };
            if (m.group(1).equals("50")) {
                p50 = v;
            } else {
                p99 = v;
            }
        }
        return new Wrk(Double.parseDouble(rps.group(1)), p50, p99);
    }
}
