package dev.vibed.perf;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the harness needs from the machine: free ports, port waits, processes, RSS, and a description of itself. */
public final class Machine {
    private Machine() {
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Connects until the port accepts; the time it took, in ms, or -1 when the process died or time ran out. */
    static double awaitPort(int port, Process p, long startNanos, long timeoutMillis) throws InterruptedException {
        return untilConnected(port, p, startNanos, timeoutMillis, connected -> true);
    }

    /**
     * After the port accepts: sends {@code GET /} until the app answers 200, over a plain socket so the client's own
     * cost stays out of the baseline; the time since {@code startNanos} in ms, or -1 when the process died or time
     * ran out.
     */
    static double awaitFirstOk(int port, Process p, long startNanos, long timeoutMillis) throws InterruptedException {
        byte[] request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return untilConnected(port, p, startNanos, timeoutMillis, connected -> {
            connected.setSoTimeout(5_000);
            connected.getOutputStream().write(request);
            byte[] head = connected.getInputStream().readNBytes("HTTP/1.1 200".length());
            return new String(head, java.nio.charset.StandardCharsets.US_ASCII).matches("HTTP/1\\.[01] 200");
        });
    }

    private interface Attempt {
        boolean succeeded(Socket connected) throws IOException;
    }

    /** Connects and tries {@code attempt} until it succeeds; ms since {@code startNanos}, or -1 (died, timed out). */
    private static double untilConnected(int port, Process p, long startNanos, long timeoutMillis, Attempt attempt)
            throws InterruptedException {
        long deadline = startNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 100);
                if (attempt.succeeded(s)) {
                    return (System.nanoTime() - startNanos) / 1e6;
                }
            } catch (IOException e) {
                // Not there yet.
            }
            if (p != null && !p.isAlive()) {
                return -1;
            }
            // Nothing tells when a bare process starts to listen or answer: polling every 0.2 ms bounds the
            // baseline's error to that, well under the 1 ms the tables round to.
            Thread.sleep(0, 200_000);
        }
        return -1;
    }

    /**
     * Waits until {@code pid} and every process under it use no CPU for {@code quiet} (their summed user + system
     * time unchanged: less than one clock tick of 10 ms), at most {@code limit}. False if they never settled.
     */
    public static boolean awaitIdle(long pid, Duration quiet, Duration limit) throws Exception {
        long[] last = {-1};
        return Poll.until(limit, quiet, () -> {
            long now = treeCpuTicks(pid);
            boolean idle = now == last[0];
            last[0] = now;
            return idle;
        });
    }

    /** User + system clock ticks used so far by a process and its descendants (one that ended meanwhile counts 0). */
    static long treeCpuTicks(long pid) {
        return ProcessHandle.of(pid).stream().flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p),
                p.descendants())).mapToLong(p -> {
                    try {
                        return cpuTicks(p.pid());
                    } catch (IOException e) {
                        return 0; // it ended between listing and reading
                    }
                }).sum();
    }

    /** User + system CPU time of one process so far, in clock ticks of 10 ms (fields 14 and 15 of its stat). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // Counted after the ")" that ends the command name, which may itself hold spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * Waits until the RSS of {@code pid} holds within {@code toleranceMb} across one {@code every}, at most
     * {@code limit}; the last reading, steady or not (NaN when the process is gone).
     */
    static double awaitSteadyRssMb(long pid, Duration every, double toleranceMb, Duration limit) throws Exception {
        double[] last = {Double.NaN}; // so the first look only takes a reading
        Poll.until(limit, every, () -> {
            double now = rssMb(pid);
            boolean steady = Math.abs(now - last[0]) < toleranceMb;
            last[0] = now;
            return steady;
        });
        return last[0];
    }

    /** VmRSS of a process in MB, or NaN when it is gone. */
    static double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone
        }
        return Double.NaN;
    }

    static String run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir == null ? null : dir.toFile()).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    static boolean has(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static String describe() {
        String cpu = "?";
        String mem = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
            mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024 + " GB").orElse("?");
        } catch (IOException ignored) {
            // not Linux: leave the question marks
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + "), " + mem + " RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.vm.version") + ", load average at start " + loadAverage();
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
