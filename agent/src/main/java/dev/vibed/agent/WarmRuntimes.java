package dev.vibed.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * Pre-pays what a deploy of a Node or Python app does not need the app for: the interpreter's start. When the
 * agent starts, and again whenever its app is stopped and it is idle again, it reserves the next release directory
 * and starts one {@link WarmRuntime} per configured kind on it, in the background; an inject takes the runtime or
 * passes it over, and either way nothing waits while the app runs ({@link #drain()}). An inject whose plan
 * is exactly a bare {@code node <file>} or {@code python3 <file>} on the system interpreter takes the waiting
 * runtime instead of forking a new one; every other plan (npm scripts, a venv, uvicorn/gunicorn, workerd, builds,
 * installs) and every restart after a crash is a cold start, as before.
 */
final class WarmRuntimes implements AutoCloseable {

    /** A runtime that became the app: its process, and the listen events its loader reports. */
    record Claimed(UserProcesses.Running run, ListenEvents events, long preStartedMs, long handOverMs) {
    }

    private final List<WarmRuntime.Kind> kinds;
    private final Runtimes runtimes;
    private final UserProcesses processes;
    private final SandboxCommand sandbox;
    private final Releases releases;
    private final LogBuffer logs;
    private final Path eventsDir;
    private final String bind;
    private final int defaultPort;

    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Held while a runtime is spawned and until it is in {@link #waiting}, and while the cgroup is cleared of
     * strays ({@link #sparing}): otherwise a stop could kill a runtime that a refill has spawned but not yet
     * registered.
     */
    private final ReentrantLock starting = new ReentrantLock();
    // Guarded by lock.
    private final Map<WarmRuntime.Kind, WarmRuntime> waiting = new EnumMap<>(WarmRuntime.Kind.class);
    private long generation;
    private boolean closed;
    /** The last refill's thread, which {@link #awaitLoaded} joins. */
    private volatile Thread filling;

    /** @param eventsDir where the FIFOs of the listen events live (the agent's workspace; never in a sandbox) */
    WarmRuntimes(List<WarmRuntime.Kind> kinds, Runtimes runtimes, UserProcesses processes, SandboxCommand sandbox,
                 Releases releases, LogBuffer logs, Path eventsDir, String bind, int defaultPort) {
        this.kinds = kinds.stream().filter(k -> interpreter(runtimes, k) != null).toList();
        this.runtimes = runtimes;
        this.processes = processes;
        this.sandbox = sandbox;
        this.releases = releases;
        this.logs = logs;
        this.eventsDir = eventsDir;
        this.bind = bind;
        this.defaultPort = defaultPort;
    }

    /**
     * Ends what waits, and what a refill is still starting: an app now runs in this sandbox. A runtime waits only
     * in an idle agent, for its next inject; next to a running app it would hold memory (tens of MB for node) and,
     * while starting, take the CPU from the deploy's last steps.
     */
    void drain() {
        List<WarmRuntime> old = supersede(false);
        if (!old.isEmpty()) {
            // Off the app's start: a discard waits for the runtime to be gone.
            Thread.ofVirtual().name("warm-runtimes-drain").start(() -> old.forEach(WarmRuntime::discard));
        }
    }

    /** Discards what waits and starts fresh runtimes on a new reservation, on a background thread. */
    void refill() {
        if (kinds.isEmpty()) {
            return;
        }
        long gen;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            gen = ++generation;
        } finally {
            lock.unlock();
        }
        filling = Thread.ofVirtual().name("warm-runtimes-" + gen).start(() -> fill(gen));
    }

    private void fill(long gen) {
        takeWaiting().forEach(WarmRuntime::discard);
        Path slot;
        try {
            Files.createDirectories(eventsDir);
            slot = releases.reserve();
        } catch (IOException e) {
            AgentLog.info("no warm runtimes: could not reserve a release: " + e.getMessage());
            return;
        }
        Map<String, String> env = UserEnv.build(Map.of(), sandbox.appHome(slot), defaultPort, bind, Map.of());
        // The env order of an app deployed without env of its own, learnt now rather than on its inject's path.
        processes.anticipateEnv(env, slot);
        for (WarmRuntime.Kind kind : kinds) {
            starting.lock();
            try {
                start(kind, gen, slot, env);
            } finally {
                starting.unlock();
            }
        }
    }

    private void start(WarmRuntime.Kind kind, long gen, Path slot, Map<String, String> env) {
        WarmRuntime rt;
        try {
            ListenEvents events = ListenEvents.open(eventsDir.resolve(kind.wire + "-" + gen + ".events"));
            UserProcesses.Running run;
            try {
                run = processes.launchWarm(slot, kind.argv(interpreter(runtimes, kind)), env, events.fifo());
            } catch (IOException e) {
                events.close();
                throw e;
            }
            rt = new WarmRuntime(kind, slot, env, run, events);
        } catch (IOException e) {
            AgentLog.info("could not pre-start a " + kind.wire + " runtime: " + e.getMessage());
            return;
        }
        lock.lock();
        try {
            if (gen == generation && !closed) {
                waiting.put(kind, rt);
                rt = null;
            }
        } finally {
            lock.unlock();
        }
        if (rt != null) {
            rt.discard(); // superseded while it started
        }
    }

    /**
     * Waits, at most {@code max}, until the last refill's runtimes have loaded and wait for their app (each loader
     * reports {@code waiting} just before it blocks on its input): for the agent's ready, so that a claim right
     * after it hands over to a runtime that reads at once. A runtime that could not start is not waited for.
     */
    void awaitLoaded(java.time.Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        Thread fill = filling;
        if (fill != null) {
            fill.join(max);
        }
        List<WarmRuntime> runtimes;
        lock.lock();
        try {
            runtimes = List.copyOf(waiting.values());
        } finally {
            lock.unlock();
        }
        for (WarmRuntime rt : runtimes) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !rt.events().awaitWaiting(java.time.Duration.ofNanos(left))) {
                AgentLog.info("the warm " + rt.kind().wire + " runtime did not report loaded within " + max.toMillis()
                        + " ms; ready anyway");
                return;
            }
        }
    }

    /**
     * Called as an inject begins, before its download: starts learning the env order a warm start of it will need
     * ({@link UserProcesses#anticipateEnv}), so that the hand-over does not wait for a shell.
     */
    void anticipate(Path release, Map<String, String> injected, int port) {
        if (!kinds.isEmpty()) {
            processes.anticipateEnv(UserEnv.build(injected, sandbox.appHome(release), port, bind, Map.of()), release);
        }
    }

    /**
     * The waiting runtime as {@code plan}'s app, when that is exactly what a cold start would run; empty means
     * start it cold. Either way the reservation is used up: the caller drains the rest.
     */
    Optional<Claimed> claim(Path release, String root, LaunchPlan.Command plan, Map<String, String> env, int port) {
        Optional<WarmRuntime.Kind> kind = kindFor(plan);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        WarmRuntime rt;
        lock.lock();
        try {
            rt = waiting.get(kind.get());
            if (rt == null || !rt.fits(release, env)) {
                return Optional.empty();
            }
            waiting.remove(kind.get());
        } finally {
            lock.unlock();
        }
        List<String> argv = plan.argv();
        long t0 = System.nanoTime();
        try {
            WarmRuntime.Launch launch = new WarmRuntime.Launch(sandbox.appDir(release, root), argv.get(1),
                    argv.subList(2, argv.size()), processes.environAsLaunched(env, release, root), port);
            return Optional.of(new Claimed(rt.release(launch, logs.lastSeq()), rt.events(), rt.ageMillis(),
                    (System.nanoTime() - t0) / 1_000_000));
        } catch (IOException e) {
            AgentLog.info("the warm " + rt.kind().wire + " runtime pid=" + rt.pid() + " is unusable ("
                    + e.getMessage() + "); starting cold");
            rt.discard();
            return Optional.empty();
        }
    }

    /** Which runtime runs {@code plan} exactly as a bare start would: the system interpreter on a file, no more. */
    Optional<WarmRuntime.Kind> kindFor(LaunchPlan.Command plan) {
        List<String> argv = plan.argv();
        if (!plan.installs().isEmpty() || plan.build() != null || !plan.files().isEmpty() || !plan.env().isEmpty()
                || argv.size() < 2 || argv.get(1).startsWith("-")) {
            return Optional.empty();
        }
        return kinds.stream().filter(k -> argv.getFirst().equals(interpreter(runtimes, k).toString())).findFirst();
    }

    /**
     * Runs {@code clear} (a kill of the cgroup's strays) with a test that spares the waiting runtimes' processes,
     * children they fork meanwhile included, while no runtime is being started.
     */
    void sparing(Consumer<LongPredicate> clear) {
        starting.lock();
        try {
            Set<Long> roots = new HashSet<>();
            lock.lock();
            try {
                waiting.values().forEach(rt -> roots.add(rt.pid()));
            } finally {
                lock.unlock();
            }
            clear.accept(pid -> ProcessTree.descendsFrom(pid, roots));
        } finally {
            starting.unlock();
        }
    }

    /** The pid of the waiting runtime of {@code kind} (0: none), for the agent's own log and tests. */
    long waitingPid(WarmRuntime.Kind kind) {
        lock.lock();
        try {
            WarmRuntime rt = waiting.get(kind);
            return rt == null ? 0 : rt.pid();
        } finally {
            lock.unlock();
        }
    }

    /** Empties {@link #waiting} and returns what was in it. */
    private List<WarmRuntime> takeWaiting() {
        lock.lock();
        try {
            List<WarmRuntime> old = List.copyOf(waiting.values());
            waiting.clear();
            return old;
        } finally {
            lock.unlock();
        }
    }

    /** Makes a fill still under way discard what it starts ({@code close}: and every later one), and takes what waits. */
    private List<WarmRuntime> supersede(boolean close) {
        lock.lock();
        try {
            closed |= close;
            generation++;
            return takeWaiting();
        } finally {
            lock.unlock();
        }
    }

    private static Path interpreter(Runtimes runtimes, WarmRuntime.Kind kind) {
        return switch (kind) {
            case NODE -> runtimes.node();
            case PYTHON -> runtimes.python3();
        };
    }

    @Override
    public void close() {
        supersede(true).forEach(WarmRuntime::discard);
    }
}
