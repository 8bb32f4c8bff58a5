package dev.vibed.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts {@code vibed-agent} as a real process, the way the platform runs local sandboxes: a JVM tuned for a
 * small footprint and a fast start, the token in its environment, and its output kept in a log file.
 */
public final class AgentLauncher {
    public static final String READY_PREFIX = "vibed-agent ready ";
    private static final Pattern READY = Pattern.compile("^vibed-agent ready control=(\\d+) bootId=(\\S+)$");
    /** Anchor classes whose code sources make up the agent's runtime classpath. */
    private static final List<String> CLASSPATH_ANCHORS = List.of(
            "dev.vibed.agent.AgentMain",
            "dev.vibed.core.json.Jsons",
            "jakarta.json.Json",
            "org.eclipse.parsson.JsonProviderImpl",
            "org.apache.commons.compress.archivers.tar.TarArchiveInputStream");
    /** commons-compress's own runtime dependencies: added when present, a jar costs nothing until used. */
    private static final List<String> OPTIONAL_ANCHORS = List.of(
            "org.apache.commons.io.IOUtils",
            "org.apache.commons.lang3.StringUtils",
            "org.apache.commons.codec.digest.DigestUtils");
    /** Passed through from the launching process; everything else in its environment stays out of the agent. */
    private static final List<String> PASSED_ENV = List.of("PATH", "LANG", "TZ", "TMPDIR", "VIBED_WORKERD");

    private AgentLauncher() {
    }

    /** The command line for the agent, with the classpath computed from where the agent's classes were loaded. */
    public static List<String> command(Path javaHome, AgentOptions opts) {
        return command(javaHome, opts, defaultClasspath());
    }

    public static List<String> command(Path javaHome, AgentOptions opts, List<Path> classpath) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaHome.resolve("bin").resolve("java").toString());
        cmd.addAll(jvmFlags(opts.cacheDir()));
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        cmd.add(AgentMain.class.getName());
        cmd.addAll(opts.toArgs());
        return cmd;
    }

    /**
     * JVM flags for an agent that mostly sleeps: serial GC and a small heap (a few MB live), C1 only (no
     * C2 compiler threads or their memory), small thread stacks, no perf-data file, and a CDS archive that is
     * created on the first run and makes later starts faster.
     * <p>
     * What activity grows must shrink back (perf/agent-footprint.md): a young generation fixed at 2 MB, since
     * every page eden ever cycled through stays resident; an old generation that a full collection shrinks to
     * 30% free at once instead of in steps (the agent runs one after each inject, see {@link HeapSettler}); and
     * the C library's heap trimmed every 2 s, which returns the compiler's freed arenas to the system.
     */
    public static List<String> jvmFlags(Path cacheDir) {
        List<String> flags = new ArrayList<>(List.of(
                "-XX:+UseSerialGC",
                "-Xms8m",
                "-Xmx48m",
                "-Xmn2m",
                "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=30",
                "-XX:-ShrinkHeapInSteps",
                "-Xss256k",
                "-XX:TieredStopAtLevel=1",
                "-XX:CICompilerCount=1",
                "-XX:ReservedCodeCacheSize=16m",
                "-XX:MaxMetaspaceSize=64m",
                "-XX:-UsePerfData",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djdk.virtualThreadScheduler.parallelism=2",
                "-Dfile.encoding=UTF-8"));
        // A product flag from JDK 22 on; agents run on the launcher's own JDK.
        if (Runtime.version().feature() >= 22) {
            flags.add("-XX:TrimNativeHeapInterval=2000");
        }
        if (cacheDir != null) {
            flags.add("-XX:+AutoCreateSharedArchive");
            flags.add("-XX:SharedArchiveFile=" + cacheDir.resolve("agent.jsa"));
            // A stale or concurrently rewritten archive must not print warnings into the agent's output.
            flags.add("-Xlog:cds=off");
            flags.add("-Xlog:cds+dynamic=off");
        }
        return flags;
    }

    /** The jars (or class folders) of the agent, vibed-core and their runtime dependencies. */
    public static List<Path> defaultClasspath() {
        Set<Path> out = new LinkedHashSet<>();
        for (String anchor : CLASSPATH_ANCHORS) {
            out.add(location(anchor).orElseThrow(() ->
                    new IllegalStateException("the agent's classpath is incomplete: " + anchor + " not found")));
        }
        for (String anchor : OPTIONAL_ANCHORS) {
            location(anchor).ifPresent(out::add);
        }
        return List.copyOf(out);
    }

    private static Optional<Path> location(String className) {
        try {
            CodeSource cs = Class.forName(className, false, AgentLauncher.class.getClassLoader())
                    .getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null) {
                throw new IllegalStateException("cannot tell where " + className + " was loaded from");
            }
            return Optional.of(Path.of(cs.getLocation().toURI()));
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts an agent and waits for its ready line.
     *
     * @param token   the control token; put in the agent's environment, never on its command line
     * @param logFile the agent's stdout and stderr are appended there for its whole life
     * @throws IOException when the agent exits or stays silent past {@code readyTimeout}; the message carries
     *                     its last output lines
     */
    public static AgentHandle start(Path javaHome, AgentOptions opts, String token, Path logFile,
                                    Duration readyTimeout) throws IOException {
        return start(command(javaHome, opts), opts, token, logFile, readyTimeout);
    }

    public static AgentHandle start(List<String> command, AgentOptions opts, String token, Path logFile,
                                    Duration readyTimeout) throws IOException {
        if (opts.cacheDir() != null) {
            Files.createDirectories(opts.cacheDir());
        }
        if (logFile.getParent() != null) {
            Files.createDirectories(logFile.getParent());
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        Map<String, String> passed = new java.util.HashMap<>();
        for (String k : PASSED_ENV) {
            String v = env.get(k);
            if (v != null) {
                passed.put(k, v);
            }
        }
        // The agent gets a minimal environment: without isolation an app can read its agent's
        // /proc/<pid>/environ, so neither the platform's secrets nor the token may be there.
        env.clear();
        env.putAll(passed);
        Process process = pb.start();
        // The token goes through stdin, not the environment: /proc/<pid>/environ is readable by any process of the
        // same user, which is what an app is when bubblewrap is missing.
        try (var stdin = process.getOutputStream()) {
            stdin.write((token + "\n").getBytes(StandardCharsets.UTF_8));
        }

        CompletableFuture<String[]> ready = new CompletableFuture<>();
        Deque<String> recent = new ArrayDeque<>();
        Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Thread pump = new Thread(() -> pump(process, log, ready, recent), "vibed-agent-log-" + process.pid());
        pump.setDaemon(true);
        pump.start();
        try {
            String[] r = ready.get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new AgentHandle(process, probeHost(opts.bind()), Integer.parseInt(r[0]), opts.appPort(), token,
                    r[1]);
        } catch (TimeoutException | ExecutionException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
                pump.join(2000);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            String why = e instanceof TimeoutException ? "did not become ready within " + readyTimeout.toMillis()
                    + " ms" : "exited before it was ready (exit code " + (process.isAlive() ? "?" : process.exitValue()) + ")";
            List<String> last;
            synchronized (recent) {
                last = new ArrayList<>(recent);
            }
            throw new IOException("vibed-agent " + why + "; last output:\n" + String.join("\n", last));
        }
    }

    private static void pump(Process process, Writer log, CompletableFuture<String[]> ready, Deque<String> recent) {
        try (log; BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!ready.isDone()) {
                    Matcher m = READY.matcher(line);
                    if (m.matches()) {
                        ready.complete(new String[]{m.group(1), m.group(2)});
                    } else {
                        synchronized (recent) {
                            recent.addLast(line);
                            if (recent.size() > 20) {
                                recent.removeFirst();
                            }
                        }
                    }
                }
                log.write(line);
                log.write('\n');
                log.flush();
            }
        } catch (IOException e) {
            // The agent is gone, or the log file is; either way there is nothing more to copy.
        }
        ready.completeExceptionally(new IOException("agent output ended"));
    }

    private static String probeHost(String bind) {
        return new PortProbe(bind).host();
    }
}
