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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs one app at a time and keeps it running: installs its dependencies, starts it, waits until its port
 * accepts connections, restarts it with exponential backoff when it exits (a web server that exits, even with
 * 0, has failed), and gives up with {@code crashloop} when it keeps dying. A static site that needs building is
 * installed and built once, then served. Every deployment gets a generation number; a runner thread whose
 * generation is no longer current stops touching state and kills what it started, which is what makes re-inject
 * and stop race-free.
 */
final class AppSupervisor implements AutoCloseable {

    /**
     * @param idleGrace how long an app that listens on nothing (or not on $PORT) may sit without using CPU before
     *                  the agent decides it is done starting
     * @param memoryMb  the sandbox's memory limit, for the message when it is hit (0: none)
     */
    record Settings(Duration listenTimeout, Duration installTimeout, Duration stopGrace, Duration backoffInitial,
                    Duration backoffMax, int crashLimit, Duration crashWindow, int crashLogLines, Duration idleGrace,
                    int memoryMb) {
        static Settings of(AgentOptions o) {
            return new Settings(o.listenTimeout(), o.installTimeout(), o.stopGrace(), Duration.ofMillis(250),
                    Duration.ofSeconds(8), 5, Duration.ofSeconds(60), 50, Duration.ofSeconds(2), o.memoryMb());
        }
    }

    /** One release to run. {@code env} is the inject's env, not yet merged with the defaults. */
    record Deployment(String revision, int port, Path release, String root, LaunchPlan plan, Map<String, String> env) {
        Path appDir() {
            return root.isEmpty() ? release : release.resolve(root);
        }
    }

    private enum Wait { LISTENING, REROUTED, EXITED, TIMED_OUT, IDLE, STALE }

    /** How waiting for the app to listen ended; {@code port} and {@code host} name the socket it really uses. */
    private record Watch(Wait outcome, int port, String host, String detail) {
        static Watch of(Wait outcome) {
            return new Watch(outcome, 0, null, null);
        }
    }

    private final UserProcesses processes;
    private final WarmRuntimes warm;
    private final SandboxCommand sandbox;
    private final Supplier<Optional<Cgroups.Group>> cgroup;
    private final PortProbe probe;
    private final ListeningSockets sockets = ListeningSockets.ofThisMachine();
    private final LogBuffer logs;
    private final String bind;
    private final String bootId;
    private final int defaultPort;
    private final Settings settings;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled on every state change, for long-polls of the status. */
    private final Condition changed = lock.newCondition();
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
    private String warning;
    private Process process;
    private StaticFileServer staticServer;
    private PortForwarder forwarder;
    private Thread runner;

    /** @param warm the pre-started runtimes an inject may use instead of a cold start; owned (closed) by this */
    AppSupervisor(ProcessSpawner spawner, SandboxCommand sandbox, Supplier<Optional<Cgroups.Group>> cgroup,
                  LogBuffer logs, PortProbe probe, String bind, String bootId, int defaultPort, Settings settings,
                  WarmRuntimes warm) {
        this.processes = new UserProcesses(spawner, sandbox, cgroup, logs);
        this.warm = warm;
        this.sandbox = sandbox;
        this.cgroup = cgroup;
        this.probe = probe;
        this.logs = logs;
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
                    crashLog, warning);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The status as soon as its change tag differs from {@code since}, or when {@code wait} is over: a long-poll
     * that answers on the event (starting, listening, crashed) instead of making the caller poll.
     */
    AgentStatus awaitChange(String since, Duration wait) throws InterruptedException {
        return awaitStatus(now -> !now.changeTag().equals(since), wait);
    }

    /**
     * The status once the app of {@code revision} is past its launch: it listens, it failed, or the agent has
     * something to say while it starts (installing, building, restarting); or when {@code wait} is over. Lets an
     * inject answer with where the start got to, so its caller can publish an app that is up in the same round trip.
     */
    AgentStatus awaitSettled(String revision, Duration wait) throws InterruptedException {
        return awaitStatus(now -> !java.util.Objects.equals(now.revision(), revision)
                || now.state() != AgentState.STARTING || now.listening() || now.message() != null, wait);
    }

    /** The status as soon as it satisfies {@code done}, or when {@code wait} is over; woken by every change. */
    private AgentStatus awaitStatus(java.util.function.Predicate<AgentStatus> done, Duration wait)
            throws InterruptedException {
        long left = wait.toNanos();
        lock.lock();
        try {
            while (true) {
                AgentStatus now = status();
                if (left <= 0 || done.test(now)) {
                    return now;
                }
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends a section that changed the state: wakes the long-polls, then unlocks. */
    private void unlockChanged() {
        changed.signalAll();
        lock.unlock();
    }

    /** An inject into {@code release} has begun: lets the warm runtimes prepare its hand-over meanwhile. */
    void anticipate(Path release, Map<String, String> injectedEnv, int port) {
        warm.anticipate(release, injectedEnv, port);
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
            warning = null;
            runner = Thread.ofVirtual().name("app-runner-" + gen).unstarted(() -> run(gen, d, launched));
            runner.start();
        } finally {
            unlockChanged();
        }
        launched.await(10, TimeUnit.SECONDS);
        return status().state();
    }

    /**
     * Stops the app (SIGTERM, grace, SIGKILL of the whole tree); a later inject starts anew, and the warm runtimes
     * are started again for it.
     */
    void stop() {
        boolean wasActive = halt();
        warm.refill();
        lock.lock();
        try {
            listening = false;
            pid = 0;
            if (wasActive || state == AgentState.STARTING || state == AgentState.RUNNING) {
                state = AgentState.EXITED;
                message = "stopped by request";
            }
        } finally {
            unlockChanged();
        }
    }

    /** Invalidates the current runner and stops what it runs; true when something was running. */
    private boolean halt() {
        Thread r;
        Process p;
        StaticFileServer st;
        PortForwarder fw;
        lock.lock();
        try {
            generation++;
            r = runner;
            p = process;
            st = staticServer;
            fw = forwarder;
            runner = null;
            process = null;
            staticServer = null;
            forwarder = null;
        } finally {
            lock.unlock();
        }
        if (st != null) {
            st.close();
        }
        if (fw != null) {
            fw.close();
        }
        if (p != null) {
            ProcessTree.terminate(p.toHandle(), sandbox.isolated(), settings.stopGrace());
            killStrays();
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
                unlockChanged();
            }
        }
    }

    private void run(long gen, Deployment d, CountDownLatch launched) {
        try {
            switch (d.plan()) {
                case LaunchPlan.Static s -> {
                    warm.drain();
                    serveStatic(gen, d, s.dir());
                }
                case LaunchPlan.Build b -> {
                    warm.drain();
                    buildAndServe(gen, d, b, launched);
                }
                case LaunchPlan.Command c -> supervise(gen, d, c, launched);
            }
        } catch (InterruptedException e) {
            // Superseded by stop or re-inject: whoever interrupted us owns the state now.
        } catch (RuntimeException e) {
            fail(gen, "agent error while running the app: " + e);
        } finally {
            launched.countDown();
        }
    }

    /**
     * After the agent's own inject and stop of its built-in site ({@link InjectWarmup#throughControl}), before it
     * reports ready: idle and without a revision again, as a claim of this sandbox must find it.
     */
    void forgetWarmUp() {
        lock.lock();
        try {
            if (!InjectWarmup.REVISION.equals(revision) || process != null || staticServer != null) {
                return;
            }
            state = AgentState.IDLE;
            pid = 0;
            restarts = 0;
            exitCode = null;
            appPort = 0;
            revision = null;
            listening = false;
            message = null;
            crashLog = null;
            warning = null;
        } finally {
            unlockChanged();
        }
    }

    /** Clears the cgroup of strays the process tree no longer shows, sparing the warm runtimes waiting in it. */
    private void killStrays() {
        cgroup.get().ifPresent(g -> warm.sparing(g::killAllExcept));
    }

    private void serveStatic(long gen, Deployment d, Path dir) {
        StaticFileServer server;
        try {
            server = StaticFileServer.start(dir, bind, d.port());
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
            message = null;
        } finally {
            unlockChanged();
        }
        AgentLog.info("serving static files of revision " + d.revision() + " on port " + d.port());
    }

    private void supervise(long gen, Deployment d, LaunchPlan.Command c, CountDownLatch launched)
            throws InterruptedException {
        Path dir = d.appDir();
        Map<String, String> env = UserEnv.build(d.env(), sandbox.appHome(d.release()), d.port(), bind, c.env());
        // Only the first start may use a warm runtime: it was made for this release. Restarts start cold. A plan
        // the runtime can run has no files, installs or build, so what follows before the loop is for cold plans.
        Optional<WarmRuntimes.Claimed> claimed = warm.claim(d.release(), d.root(), c, env, d.port());
        warm.drain();
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
        if (!install(gen, d, c.installs(), env, launched)) {
            return;
        }
        if (c.build() != null && !build(gen, d, c.build(), env, launched)) {
            return;
        }

        Duration backoff = settings.backoffInitial();
        Deque<Long> crashTimes = new ArrayDeque<>();
        while (true) {
            long startedAt = System.nanoTime();
            long oomBefore = oomKills();
            UserProcesses.Running run;
            ListenEvents events = null;
            String how = "";
            if (claimed.isPresent()) {
                run = claimed.get().run();
                events = claimed.get().events();
                how = " (warm runtime, pre-started " + claimed.get().preStartedMs() + " ms before, handed over in "
                        + claimed.get().handOverMs() + " ms)";
                claimed = Optional.empty();
            } else {
                try {
                    run = processes.launch(d.release(), d.root(), c.argv(), env, null);
                } catch (IOException e) {
                    fail(gen, "could not start '" + c.describe() + "': " + e.getMessage());
                    return;
                }
            }
            if (!register(gen, run.process())) {
                ProcessTree.terminate(run.process().toHandle(), sandbox.isolated(), settings.stopGrace());
                return;
            }
            launched.countDown();
            AgentLog.info("started '" + c.describe() + "' pid=" + run.process().pid() + " revision=" + d.revision()
                    + how);

            Watch watch = awaitListening(gen, run.process(), d.port(), events);
            Wait w = watch.outcome();
            if (w == Wait.STALE) {
                return;
            }
            if (w == Wait.REROUTED && !reroute(gen, d.port(), watch)) {
                w = Wait.IDLE;
                watch = new Watch(Wait.IDLE, watch.port(), null, "app listens on " + watch.port()
                        + ", not on $PORT (" + d.port() + "), and $PORT could not be forwarded to it");
            }
            if (w == Wait.IDLE) {
                ProcessTree.terminate(run.process().toHandle(), sandbox.isolated(), settings.stopGrace());
                killStrays();
                run.drain();
                String tail = tail(run);
                String last = tail.isEmpty() ? "" : "; its last output: " + tail.lines().reduce((a, b) -> b).orElse("");
                String why = watch.detail() + last;
                AgentLog.info(why);
                update(gen, () -> {
                    process = null;
                    pid = 0;
                    state = AgentState.EXITED;
                    message = why;
                    crashLog = tail.isEmpty() ? null : tail;
                });
                return;
            }
            if (w == Wait.TIMED_OUT) {
                ProcessTree.terminate(run.process().toHandle(), sandbox.isolated(), settings.stopGrace());
                killStrays();
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
            if (w == Wait.LISTENING || w == Wait.REROUTED) {
                update(gen, () -> {
                    state = AgentState.RUNNING;
                    listening = true;
                    message = null;
                });
            }
            int code = run.process().waitFor();
            run.drain();
            closeForwarder(gen);
            if (gen != currentGeneration()) {
                return;
            }
            // A crash: it exited without being asked to.
            long now = System.nanoTime();
            crashTimes.addLast(now);
            while (!crashTimes.isEmpty() && now - crashTimes.peekFirst() > settings.crashWindow().toNanos()) {
                crashTimes.removeFirst();
            }
            String tail = tail(run);
            String killed = oomKills() > oomBefore ? " (killed: it used more than the sandbox's memory limit of "
                    + settings.memoryMb() + " MiB)" : "";
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
                            + settings.crashWindow().toSeconds() + "s (last exit code " + code + ")" + killed
                            + "; not restarting";
                } else {
                    state = AgentState.STARTING;
                    message = "app exited with code " + code + killed + "; restarting in " + delay.toMillis() + "ms";
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

    /**
     * Installs, builds, then serves the build's output. The build runs in the same sandbox, env and cgroup as
     * an app would, because it is the user's code all the same.
     */
    private void buildAndServe(long gen, Deployment d, LaunchPlan.Build b, CountDownLatch launched)
            throws InterruptedException {
        Map<String, String> env = UserEnv.build(d.env(), sandbox.appHome(d.release()), d.port(), bind, Map.of());
        if (!install(gen, d, b.installs(), env, launched)) {
            return;
        }
        StepResult built = runBuild(gen, d, b.build(), env, launched);
        if (built == null) {
            return;
        }
        Optional<Path> site = BuildOutput.find(b.dir()).or(() -> BuildOutput.siteAtRoot(b.dir()));
        if (site.isEmpty()) {
            fail(gen, BuildOutput.NOTHING_TO_SERVE, 0, built.tail());
            return;
        }
        AgentLog.info("built revision " + d.revision() + " into " + b.dir().relativize(site.get()));
        serveStatic(gen, d, site.get());
    }

    /** Runs a build before a server starts; false when it failed (the state says why) or was superseded. */
    private boolean build(long gen, Deployment d, LaunchPlan.Step step, Map<String, String> env,
                          CountDownLatch launched) throws InterruptedException {
        return runBuild(gen, d, step, env, launched) != null;
    }

    /** The build's result when it succeeded; null when it failed (the state says why) or was superseded. */
    private StepResult runBuild(long gen, Deployment d, LaunchPlan.Step step, Map<String, String> env,
                                CountDownLatch launched) throws InterruptedException {
        update(gen, () -> message = "building: " + step.what());
        StepResult built = runStep(gen, d, step, env, launched);
        if (gen != currentGeneration()) {
            return null;
        }
        if (!built.succeeded()) {
            fail(gen, "build failed: " + built.failure(OutputSummary::build, ""), built.exitCode(), built.tail());
            return null;
        }
        return built;
    }

    /**
     * Makes $PORT reach the port the app really listens on, and says so in the status: the app works, and its
     * owner learns what to fix.
     */
    private boolean reroute(long gen, int port, Watch watch) {
        PortForwarder fw;
        try {
            fw = PortForwarder.start(bind, port, watch.host(), watch.port());
        } catch (IOException e) {
            AgentLog.info("could not forward port " + port + " to " + watch.port() + ": " + e.getMessage());
            return false;
        }
        String note = "listens on " + watch.port() + ", not on $PORT (" + port + "); routed to " + watch.port();
        if (!update(gen, () -> {
            forwarder = fw;
            warning = note;
        })) {
            fw.close();
            return false;
        }
        AgentLog.info("app " + note);
        logs.append("vibed", "vibed: the app " + note);
        return true;
    }

    private void closeForwarder(long gen) {
        PortForwarder[] fw = new PortForwarder[1];
        update(gen, () -> {
            fw[0] = forwarder;
            forwarder = null;
            warning = null;
        });
        if (fw[0] != null) {
            fw[0].close();
        }
    }

    /** Runs the installs in order; false when one failed (the state says why) or the runner was superseded. */
    private boolean install(long gen, Deployment d, List<LaunchPlan.Step> installs, Map<String, String> env,
                            CountDownLatch launched) throws InterruptedException {
        for (LaunchPlan.Step install : installs) {
            update(gen, () -> message = "installing dependencies (" + install.what() + ")");
            StepResult r = runStep(gen, d, install, env, launched);
            if (gen != currentGeneration()) {
                return false;
            }
            if (!r.succeeded()) {
                fail(gen, "dependencies could not be installed: "
                        + r.failure(OutputSummary::install, install.what() + " "), r.exitCode(), r.tail());
                return false;
            }
        }
        return true;
    }

    /** Runs one step to completion, within the install timeout; its output goes to the log like an app's. */
    private StepResult runStep(long gen, Deployment d, LaunchPlan.Step step, Map<String, String> env,
                               CountDownLatch launched) throws InterruptedException {
        Deque<String> recent = new ArrayDeque<>();
        Path npmCache = d.release().resolve(".npm");
        if (step.cache() != null) {
            try {
                int linked = step.cache().seed(npmCache);
                if (linked > 0) {
                    logs.append("vibed", "vibed: " + linked + " packages in the shared cache");
                }
            } catch (IOException e) {
                AgentLog.info("could not seed the npm cache: " + e.getMessage());
            }
        }
        Map<String, String> stepEnv = env;
        if (!step.env().isEmpty()) {
            stepEnv = new java.util.LinkedHashMap<>(env);
            stepEnv.putAll(step.env());
        }
        long oomBefore = oomKills();
        long startedAt = System.nanoTime();
        UserProcesses.Running run;
        try {
            run = processes.launch(d.release(), d.root(), step.argv(), stepEnv, line -> {
                synchronized (recent) {
                    recent.addLast(line);
                    if (recent.size() > 80) {
                        recent.removeFirst();
                    }
                }
            });
        } catch (IOException e) {
            return StepResult.problem("could not run " + step.what() + ": " + e.getMessage(), null);
        }
        if (!register(gen, run.process())) {
            ProcessTree.kill(run.process().toHandle());
            return StepResult.problem("superseded", null);
        }
        launched.countDown();
        AgentLog.info("running " + step.what() + " pid=" + run.process().pid());
        boolean exited = run.process().waitFor(settings.installTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            ProcessTree.kill(run.process().toHandle());
            killStrays();
        }
        run.drain();
        update(gen, () -> {
            process = null;
            pid = 0;
        });
        long tookMs = (System.nanoTime() - startedAt) / 1_000_000;
        if (!exited) {
            return StepResult.problem(step.what() + " timed out after " + settings.installTimeout().toSeconds()
                    + "s (the sandbox's time limit for installs and builds)", tail(run));
        }
        int code = run.process().exitValue();
        if (code != 0 && oomKills() > oomBefore) {
            return StepResult.problem(step.what() + " was killed: it used more than the sandbox's memory limit of "
                    + settings.memoryMb() + " MiB", tail(run));
        }
        // Said in the app's log, so every front end shows how long each step took (and a test can compare).
        logs.append("vibed", "vibed: " + step.what() + " took " + tookMs + " ms (exit code " + code + ")");
        if (code == 0 && step.cache() != null) {
            try {
                int added = step.cache().fill(npmCache);
                if (added > 0) {
                    AgentLog.info("added " + added + " packages to the shared npm cache");
                }
            } catch (IOException e) {
                AgentLog.info("could not fill the shared npm cache: " + e.getMessage());
            }
        }
        List<String> lines;
        synchronized (recent) {
            lines = new ArrayList<>(recent);
        }
        return new StepResult(code, null, lines, tail(run));
    }

    /** The kernel's OOM kills in the sandbox's cgroup so far: a rise across a run means the limit killed it. */
    private long oomKills() {
        return cgroup.get().map(Cgroups.Group::oomKills).orElse(0L);
    }

    private String tail(UserProcesses.Running run) {
        return processes.tail(run, settings.crashLogLines());
    }

    /**
     * Waits until the app listens on {@code port}, watching what its processes really listen on: one other port
     * once it has settled (used no CPU for the idle grace) is rerouted; no port at all once it has settled fails
     * at once rather than at the deadline, since an idle app with no socket is not about to open one.
     */
    private Watch awaitListening(long gen, Process p, int port, ListenEvents events) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + settings.listenTimeout().toNanos();
        long lastCpu = -1;
        long busyAt = started;
        // Woken at once by the loader's listen event or by the exit; the probes in between are the fallback.
        java.util.concurrent.Semaphore wake = new java.util.concurrent.Semaphore(0);
        p.onExit().thenRun(wake::release);
        if (events != null) {
            events.onEvent(wake::release);
        }
        // Looks before it waits: a warm runtime's app often listens before this is called, and its event, heard
        // already, releases nothing now.
        while (true) {
            if (!p.isAlive()) {
                return Watch.of(Wait.EXITED);
            }
            if (gen != currentGeneration()) {
                return Watch.of(Wait.STALE);
            }
            if (events != null && events.heard(port)) {
                return Watch.of(Wait.LISTENING);
            }
            if (probe.accepts(port)) {
                return Watch.of(p.isAlive() ? Wait.LISTENING : Wait.EXITED);
            }
            List<ListeningSockets.Listener> listeners = sockets.listeners(p.toHandle());
            if (listeners.stream().anyMatch(l -> l.port() == port)) {
                return Watch.of(p.isAlive() ? Wait.LISTENING : Wait.EXITED);
            }
            long now = System.nanoTime();
            long cpu = sockets.cpuTicks(p.toHandle());
            if (cpu != lastCpu) {
                lastCpu = cpu;
                busyAt = now;
            }
            if (now - busyAt >= settings.idleGrace().toNanos()) {
                List<Integer> ports = listeners.stream().map(ListeningSockets.Listener::port).distinct().sorted()
                        .toList();
                if (ports.size() == 1) {
                    ListeningSockets.Listener l = listeners.getFirst();
                    return new Watch(Wait.REROUTED, l.port(), dialable(l.address()), null);
                }
                String expected = "it should listen on $PORT (" + port + ")";
                return new Watch(Wait.IDLE, 0, null, ports.isEmpty()
                        ? "app is running but listens on no TCP port; " + expected
                        : "app listens on ports " + ports.stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", ")) + ", not on $PORT (" + port
                        + "); " + expected);
            }
            if (now > deadline) {
                return Watch.of(Wait.TIMED_OUT);
            }
            wake.tryAcquire(50, TimeUnit.MILLISECONDS);
        }
    }

    /** Where the forwarder reaches a socket bound to {@code address}: wildcards are reachable on loopback. */
    private static String dialable(String address) {
        return switch (address) {
            // Linux binds "::" dual-stack unless told otherwise, so IPv4 loopback reaches it too.
            case "0.0.0.0", "::" -> "127.0.0.1";
            case "::1" -> "::1";
            default -> address.contains(".") || address.contains(":") ? address : "127.0.0.1";
        };
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
            unlockChanged();
        }
    }

    private void fail(long gen, String why) {
        fail(gen, why, () -> {
        });
    }

    /** A failed install or build: also keeps its exit code and output tail, as for a crashed app. */
    private void fail(long gen, String why, Integer code, String tail) {
        fail(gen, why, () -> {
            exitCode = code;
            crashLog = tail == null || tail.isEmpty() ? null : tail;
        });
    }

    private void fail(long gen, String why, Runnable alsoRecord) {
        AgentLog.info(why);
        update(gen, () -> {
            process = null;
            pid = 0;
            listening = false;
            state = AgentState.EXITED;
            message = why;
            alsoRecord.run();
        });
    }

    @Override
    public void close() {
        halt();
        warm.close();
    }

    int defaultPort() {
        return defaultPort;
    }
}
