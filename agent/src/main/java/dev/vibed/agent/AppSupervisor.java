package dev.vibed.agent;

import dev.vibed.core.agent.AgentState;
import dev.vibed.core.agent.AgentStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs one app at a time and keeps it running: installs its dependencies, starts it, waits until its port
 * accepts connections, restarts it with exponential backoff when it exits (a web server that exits, even with
 * 0, has failed), and gives up with {@code crashloop} when it keeps dying. Every deployment gets a generation
 * number; a runner thread whose generation is no longer current stops touching state and kills what it started,
 * which is what makes re-inject and stop race-free.
 */
final class AppSupervisor implements AutoCloseable {

    record Settings(Duration listenTimeout, Duration installTimeout, Duration stopGrace, Duration backoffInitial,
                    Duration backoffMax, int crashLimit, Duration crashWindow, int crashLogLines) {
        static Settings of(AgentOptions o) {
            return new Settings(o.listenTimeout(), o.installTimeout(), o.stopGrace(), Duration.ofMillis(250),
                    Duration.ofSeconds(8), 5, Duration.ofSeconds(60), 50);
        }
    }

    /** One release to run. {@code env} is the inject's env, not yet merged with the defaults. */
    record Deployment(String revision, int port, Path release, String root, LaunchPlan plan, Map<String, String> env) {
        Path appDir() {
            return root.isEmpty() ? release : release.resolve(root);
        }
    }

    private record Running(Process process, Thread stdout, Thread stderr, long firstSeq) {
        void drain() throws InterruptedException {
            stdout.join(1000);
            stderr.join(1000);
        }
    }

    private enum Wait { LISTENING, EXITED, TIMED_OUT, STALE }

    private static final Pattern EXPLICIT_ERROR = Pattern.compile("(?i)error:\\s");

    private final ProcessSpawner spawner;
    private final SandboxCommand sandbox;
    private final Supplier<Optional<Cgroups.Group>> cgroup;
    private final LogBuffer logs;
    private final PortProbe probe;
    private final String bind;
    private final String bootId;
    private final int defaultPort;
    private final Settings settings;

    private final ReentrantLock lock = new ReentrantLock();
    // Everything below is guarded by lock.
    private long generation;
    private AgentState state = AgentState.IDLE;
    private long pid;
    private int restarts;
    private Integer exitCode;
    private int appPort;
    private String revision;
    private boolean listening;
    private String message;
    private String crashLog;
    private Process process;
    private StaticFileServer staticServer;
    private Thread runner;

    AppSupervisor(ProcessSpawner spawner, SandboxCommand sandbox, Supplier<Optional<Cgroups.Group>> cgroup,
                  LogBuffer logs, PortProbe probe, String bind, String bootId, int defaultPort, Settings settings) {
        this.spawner = spawner;
        this.sandbox = sandbox;
        this.cgroup = cgroup;
        this.logs = logs;
        this.probe = probe;
        this.bind = bind;
        this.bootId = bootId;
        this.defaultPort = defaultPort;
        this.appPort = defaultPort;
        this.settings = settings;
    }

    AgentStatus status() {
        lock.lock();
        try {
            return new AgentStatus(state, pid, restarts, exitCode, appPort, bootId, revision, listening, message,
                    crashLog);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replaces whatever runs with {@code d}. Returns once the first process (installer or app) has been
     * launched, or the static server is up, or the start failed: the caller can answer with a real state.
     */
    AgentState start(Deployment d) throws InterruptedException {
        halt();
        CountDownLatch launched = new CountDownLatch(1);
        lock.lock();
        try {
            long gen = ++generation;
            state = AgentState.STARTING;
            pid = 0;
            restarts = 0;
            exitCode = null;
            appPort = d.port();
            revision = d.revision();
            listening = false;
            message = null;
            crashLog = null;
            runner = Thread.ofVirtual().name("app-runner-" + gen).unstarted(() -> run(gen, d, launched));
            runner.start();
        } finally {
            lock.unlock();
        }
        launched.await(10, TimeUnit.SECONDS);
        return status().state();
    }

    /** Stops the app (SIGTERM, grace, SIGKILL of the whole tree); a later inject starts anew. */
    void stop() {
        boolean wasActive = halt();
        lock.lock();
        try {
            listening = false;
            pid = 0;
            if (wasActive || state == AgentState.STARTING || state == AgentState.RUNNING) {
                state = AgentState.EXITED;
                message = "stopped by request";
            }
        } finally {
            lock.unlock();
        }
    }

    /** Invalidates the current runner and stops what it runs; true when something was running. */
    private boolean halt() {
        Thread r;
        Process p;
        StaticFileServer st;
        lock.lock();
        try {
            generation++;
            r = runner;
            p = process;
            st = staticServer;
            runner = null;
            process = null;
            staticServer = null;
        } finally {
            lock.unlock();
        }
        if (st != null) {
            st.close();
        }
        if (p != null) {
            ProcessTree.terminate(p.toHandle(), sandbox.isolated(), settings.stopGrace());
            cgroup.get().ifPresent(Cgroups.Group::killAll);
            recordExit(p);
        }
        if (r != null) {
            r.interrupt();
            try {
                r.join(settings.stopGrace().plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return p != null || st != null;
    }

    private void recordExit(Process p) {
        if (!p.isAlive()) {
            lock.lock();
            try {
                exitCode = p.exitValue();
            } finally {
                lock.unlock();
            }
        }
    }

    private void run(long gen, Deployment d, CountDownLatch launched) {
        try {
            if (d.plan() instanceof LaunchPlan.Static s) {
                serveStatic(gen, d, s);
            } else if (d.plan() instanceof LaunchPlan.Command c) {
                supervise(gen, d, c, launched);
            }
        } catch (InterruptedException e) {
            // Superseded by stop or re-inject: whoever interrupted us owns the state now.
        } catch (RuntimeException e) {
            fail(gen, "agent error while running the app: " + e);
        } finally {
            launched.countDown();
        }
    }

    private void serveStatic(long gen, Deployment d, LaunchPlan.Static s) {
        StaticFileServer server;
        try {
            server = StaticFileServer.start(s.dir(), bind, d.port());
        } catch (IOException e) {
            fail(gen, "could not serve on port " + d.port() + ": " + e.getMessage());
            return;
        }
        lock.lock();
        try {
            if (gen != generation) {
                server.close();
                return;
            }
            staticServer = server;
            state = AgentState.RUNNING;
            listening = true;
        } finally {
            lock.unlock();
        }
        AgentLog.info("serving static files of revision " + d.revision() + " on port " + d.port());
    }

    private void supervise(long gen, Deployment d, LaunchPlan.Command c, CountDownLatch launched)
            throws InterruptedException {
        Path dir = d.appDir();
        try {
            for (var f : c.files().entrySet()) {
                Path target = dir.resolve(f.getKey());
                Files.deleteIfExists(target); // a link planted under that name is removed, never followed
                Files.writeString(target, f.getValue(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            }
        } catch (IOException e) {
            fail(gen, "could not prepare the app: " + e.getMessage());
            return;
        }
        Map<String, String> env = UserEnv.build(d.env(), sandbox.appHome(d.release()), d.port(), bind, c.env());

        for (LaunchPlan.Install install : c.installs()) {
            update(gen, () -> message = "installing dependencies (" + install.what() + ")");
            Optional<String> failure = runInstall(gen, d, install, env, launched);
            if (gen != currentGeneration()) {
                return;
            }
            if (failure.isPresent()) {
                fail(gen, "dependencies could not be installed: " + failure.get());
                return;
            }
        }

        Duration backoff = settings.backoffInitial();
        Deque<Long> crashTimes = new ArrayDeque<>();
        while (true) {
            long startedAt = System.nanoTime();
            Running run;
            try {
                run = launch(d, c.argv(), env);
            } catch (IOException e) {
                fail(gen, "could not start '" + c.describe() + "': " + e.getMessage());
                return;
            }
            if (!register(gen, run.process())) {
                ProcessTree.terminate(run.process().toHandle(), sandbox.isolated(), settings.stopGrace());
                return;
            }
            launched.countDown();
            AgentLog.info("started '" + c.describe() + "' pid=" + run.process().pid() + " revision=" + d.revision());

            Wait w = awaitListening(gen, run.process(), d.port());
            if (w == Wait.STALE) {
                return;
            }
            if (w == Wait.TIMED_OUT) {
                ProcessTree.terminate(run.process().toHandle(), sandbox.isolated(), settings.stopGrace());
                cgroup.get().ifPresent(Cgroups.Group::killAll);
                long seconds = settings.listenTimeout().toMillis() / 1000;
                String why = "app did not listen on port " + d.port() + " within "
                        + (seconds > 0 ? seconds + "s" : settings.listenTimeout().toMillis() + "ms");
                update(gen, () -> {
                    process = null;
                    pid = 0;
                    state = AgentState.EXITED;
                    message = why;
                });
                return;
            }
            if (w == Wait.LISTENING) {
                update(gen, () -> {
                    state = AgentState.RUNNING;
                    listening = true;
                    message = null;
                });
            }
            int code = run.process().waitFor();
            run.drain();
            if (gen != currentGeneration()) {
                return;
            }
            // A crash: it exited without being asked to.
            long now = System.nanoTime();
            crashTimes.addLast(now);
            while (!crashTimes.isEmpty() && now - crashTimes.peekFirst() > settings.crashWindow().toNanos()) {
                crashTimes.removeFirst();
            }
            String tail = logs.tailSince(run.firstSeq(), settings.crashLogLines()).stream()
                    .map(LogBuffer.Line::text).collect(Collectors.joining("\n"));
            boolean loop = crashTimes.size() >= settings.crashLimit();
            if (now - startedAt > settings.crashWindow().toNanos()) {
                backoff = settings.backoffInitial(); // it ran fine for a while: this is a fresh failure
            }
            Duration delay = backoff;
            AgentLog.info("app pid=" + run.process().pid() + " exited with code " + code
                    + (loop ? "; crash loop, giving up" : "; restarting in " + delay.toMillis() + "ms"));
            update(gen, () -> {
                process = null;
                pid = 0;
                listening = false;
                exitCode = code;
                crashLog = tail;
                if (loop) {
                    state = AgentState.CRASHLOOP;
                    message = "app exited " + crashTimes.size() + " times within "
                            + settings.crashWindow().toSeconds() + "s (last exit code " + code + "); not restarting";
                } else {
                    state = AgentState.STARTING;
                    message = "app exited with code " + code + "; restarting in " + delay.toMillis() + "ms";
                }
            });
            if (loop) {
                return;
            }
            Thread.sleep(delay.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(settings.backoffMax()) > 0
                    ? settings.backoffMax() : backoff.multipliedBy(2);
            if (!update(gen, () -> restarts++)) {
                return;
            }
        }
    }

    /** Runs one installer to completion; the failure reason, or empty on success. */
    private Optional<String> runInstall(long gen, Deployment d, LaunchPlan.Install install, Map<String, String> env,
                                        CountDownLatch launched) throws InterruptedException {
        Deque<String> recent = new ArrayDeque<>();
        Running run;
        try {
            run = launch(d, install.argv(), env, line -> {
                synchronized (recent) {
                    recent.addLast(line);
                    if (recent.size() > 40) {
                        recent.removeFirst();
                    }
                }
            });
        } catch (IOException e) {
            return Optional.of("could not run " + install.what() + ": " + e.getMessage());
        }
        if (!register(gen, run.process())) {
            ProcessTree.kill(run.process().toHandle());
            return Optional.empty();
        }
        launched.countDown();
        AgentLog.info("running " + install.what() + " pid=" + run.process().pid());
        if (!run.process().waitFor(settings.installTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            ProcessTree.kill(run.process().toHandle());
            cgroup.get().ifPresent(Cgroups.Group::killAll);
            update(gen, () -> process = null);
            return Optional.of(install.what() + " timed out after " + settings.installTimeout().toSeconds() + "s");
        }
        run.drain();
        int code = run.process().exitValue();
        update(gen, () -> {
            process = null;
            pid = 0;
        });
        if (code == 0) {
            return Optional.empty();
        }
        List<String> lines;
        synchronized (recent) {
            lines = new ArrayList<>(recent);
        }
        return Optional.of(summarize(lines) + " (" + install.what() + " exit code " + code + ")");
    }

    /**
     * The installer's most telling lines: explicit "...Error: ..." / "ERROR: ..." messages (pip, npm's FetchError),
     * else any line mentioning an error (npm's "npm error code E404"), else its last lines.
     */
    static String summarize(List<String> output) {
        List<String> lines = output.stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.contains("complete log of this run")).toList();
        List<String> explicit = lines.stream().filter(l -> EXPLICIT_ERROR.matcher(l).find()).toList();
        List<String> mentions = lines.stream().filter(l -> l.toLowerCase(Locale.ROOT).contains("error")
                && !l.equalsIgnoreCase("npm error")).toList();
        List<String> picked = !explicit.isEmpty() ? explicit.subList(0, Math.min(3, explicit.size()))
                : !mentions.isEmpty() ? mentions.subList(0, Math.min(3, mentions.size()))
                : lines.subList(Math.max(0, lines.size() - 3), lines.size());
        String s = picked.isEmpty() ? "no output" : String.join("; ", picked);
        return s.length() > 600 ? s.substring(0, 600) + "…" : s;
    }

    private Wait awaitListening(long gen, Process p, int port) throws InterruptedException {
        long deadline = System.nanoTime() + settings.listenTimeout().toNanos();
        while (true) {
            if (p.waitFor(50, TimeUnit.MILLISECONDS)) {
                return Wait.EXITED;
            }
            if (gen != currentGeneration()) {
                return Wait.STALE;
            }
            if (probe.accepts(port)) {
                return p.isAlive() ? Wait.LISTENING : Wait.EXITED;
            }
            if (System.nanoTime() > deadline) {
                return Wait.TIMED_OUT;
            }
        }
    }

    private Running launch(Deployment d, List<String> argv, Map<String, String> env) throws IOException {
        return launch(d, argv, env, null);
    }

    private Running launch(Deployment d, List<String> argv, Map<String, String> env,
                           java.util.function.Consumer<String> alsoTo) throws IOException {
        List<Path> procs = cgroup.get().map(Cgroups.Group::procsFiles).orElse(List.of());
        ProcessBuilder pb = new ProcessBuilder(sandbox.wrap(d.release(), d.root(), argv, procs))
                .directory(sandbox.hostWorkingDir(d.release(), d.root()).toFile());
        // The env goes through the process environment, never bubblewrap's argv: argv is world-readable in
        // /proc/<pid>/cmdline, and env values are user secrets.
        pb.environment().clear();
        pb.environment().putAll(env);
        long firstSeq = logs.lastSeq();
        Process p = spawner.spawn(pb);
        p.getOutputStream().close();
        Thread out = LogPump.start(p.getInputStream(), "stdout", logs, alsoTo);
        Thread err = LogPump.start(p.getErrorStream(), "stderr", logs, alsoTo);
        return new Running(p, out, err, firstSeq);
    }

    private boolean register(long gen, Process p) {
        return update(gen, () -> {
            process = p;
            pid = p.pid();
            listening = false;
        });
    }

    private long currentGeneration() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /** Applies {@code change} only while {@code gen} is current; false when the runner has been superseded. */
    private boolean update(long gen, Runnable change) {
        lock.lock();
        try {
            if (gen != generation) {
                return false;
            }
            change.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void fail(long gen, String why) {
        AgentLog.info(why);
        update(gen, () -> {
            process = null;
            pid = 0;
            listening = false;
            state = AgentState.EXITED;
            message = why;
        });
    }

    @Override
    public void close() {
        halt();
    }

    int defaultPort() {
        return defaultPort;
    }
}
