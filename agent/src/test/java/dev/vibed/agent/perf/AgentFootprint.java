package dev.vibed.agent.perf;

import dev.vibed.agent.AgentHandle;
import dev.vibed.agent.AgentLauncher;
import dev.vibed.agent.AgentOptions;
import dev.vibed.agent.Isolation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.spi.ToolProvider;

/**
 * Measures what one idle agent costs: time from process start to the ready line, and resident memory (VmRSS)
 * right after ready and after a second of idling, over N starts, without and with the CDS archive.
 * <p>
 * Run (from the repository root, after {@code mvn -pl agent test-compile}):
 * <pre>
 * mvn -B -q -pl agent dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * $JAVA_HOME/bin/java -cp agent/target/test-classes:agent/target/classes:$(cat agent/target/cp.txt) \
 *     dev.vibed.agent.perf.AgentFootprint [runs]
 * </pre>
 * The agent's own classes are packed into a jar first: CDS archives classes from jars only.
 */
public final class AgentFootprint {
    private AgentFootprint() {
    }

    record Sample(double readyMs, long rssAtReadyKb, long rssIdleKb) {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path work = Files.createTempDirectory("vibed-footprint");
        Path javaHome = Path.of(System.getProperty("java.home"));
        List<Path> classpath = jarClasspath(work);
        PrintStream out = System.out;
        out.printf("java: %s (%s)%n", System.getProperty("java.vm.version"), javaHome);
        out.printf("runs per mode: %d, machine: %d cpus%n", runs, Runtime.getRuntime().availableProcessors());

        AgentOptions base = AgentOptions.defaults(work.resolve("ws")).withControlPort(0).withAppPort(18999)
                .withIsolation(Isolation.NONE);
        report(out, "without CDS archive", measure(javaHome, base, classpath, runs, work));

        AgentOptions cds = base.withCacheDir(work.resolve("cache"));
        // The first run creates the archive when it exits; it is not measured.
        measure(javaHome, cds, classpath, 1, work);
        Path jsa = work.resolve("cache/agent.jsa");
        out.printf("CDS archive: %s (%d KB)%n", jsa, Files.exists(jsa) ? Files.size(jsa) / 1024 : -1);
        report(out, "with CDS archive", measure(javaHome, cds, classpath, runs, work));
        out.println("command: " + String.join(" ", AgentLauncher.command(javaHome, cds, classpath)));
        dev.vibed.core.files.FileTrees.deleteTree(work);
    }

    private static List<Sample> measure(Path javaHome, AgentOptions opts, List<Path> classpath, int runs, Path work)
            throws IOException, InterruptedException {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            List<String> cmd = AgentLauncher.command(javaHome, opts, classpath);
            long t0 = System.nanoTime();
            try (AgentHandle agent = AgentLauncher.start(cmd, opts, "footprint-token", work.resolve("agent.log"),
                    Duration.ofSeconds(30))) {
                double readyMs = (System.nanoTime() - t0) / 1e6;
                long atReady = rssKb(agent.pid());
                Thread.sleep(1000);
                samples.add(new Sample(readyMs, atReady, rssKb(agent.pid())));
            }
        }
        return samples;
    }

    private static void report(PrintStream out, String mode, List<Sample> s) {
        out.printf("%-22s ready ms: median %.0f  p90 %.0f | RSS at ready MB: median %.1f  p90 %.1f"
                        + " | RSS idle 1s MB: median %.1f  p90 %.1f%n", mode,
                pct(s.stream().map(Sample::readyMs).toList(), 50), pct(s.stream().map(Sample::readyMs).toList(), 90),
                pct(s.stream().map(x -> x.rssAtReadyKb() / 1024.0).toList(), 50),
                pct(s.stream().map(x -> x.rssAtReadyKb() / 1024.0).toList(), 90),
                pct(s.stream().map(x -> x.rssIdleKb() / 1024.0).toList(), 50),
                pct(s.stream().map(x -> x.rssIdleKb() / 1024.0).toList(), 90));
    }

    /** Nearest-rank percentile. */
    static double pct(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    /** The launcher's classpath with any class folder packed into a jar (the JDK's own jar tool). */
    private static List<Path> jarClasspath(Path work) throws IOException {
        List<Path> out = new ArrayList<>();
        ToolProvider jar = ToolProvider.findFirst("jar").orElseThrow();
        for (Path p : AgentLauncher.defaultClasspath()) {
            if (Files.isDirectory(p)) {
                Path packed = work.resolve(p.getParent().getParent().getFileName() + "-classes.jar");
                int rc = jar.run(System.out, System.err, "--create", "--file", packed.toString(), "-C",
                        p.toString(), ".");
                if (rc != 0) {
                    throw new IOException("jar failed for " + p);
                }
                out.add(packed);
            } else {
                out.add(p);
            }
        }
        return out;
    }
}
