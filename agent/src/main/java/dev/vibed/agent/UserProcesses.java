package dev.vibed.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Starts user commands (installers, builds, apps) the one way they may run: sandboxed, in the cgroup, with a
 * clean env and their output in the log.
 */
final class UserProcesses {

    /** A started process and the threads pumping its output; {@code firstSeq} is where its log lines begin. */
    record Running(Process process, Thread stdout, Thread stderr, long firstSeq) {
        void drain() throws InterruptedException {
            stdout.join(1000);
            stderr.join(1000);
        }
    }

    private final ProcessSpawner spawner;
    private final SandboxCommand sandbox;
    private final Supplier<Optional<Cgroups.Group>> cgroup;
    private final LogBuffer logs;
    private static final int MAX_ENV_ORDERS = 16;
    /** Per list of env names (in the order given): the launch shell's order of them, learnt by {@link #anticipateEnv}. */
    private final Map<List<String>, java.util.concurrent.CompletableFuture<Optional<List<String>>>> envOrders =
            new java.util.concurrent.ConcurrentHashMap<>();

    UserProcesses(ProcessSpawner spawner, SandboxCommand sandbox, Supplier<Optional<Cgroups.Group>> cgroup,
                  LogBuffer logs) {
        this.spawner = spawner;
        this.sandbox = sandbox;
        this.cgroup = cgroup;
        this.logs = logs;
    }

    /** @param alsoTo sees every output line besides the log (may be null) */
    Running launch(Path release, String root, List<String> argv, Map<String, String> env, Consumer<String> alsoTo)
            throws IOException {
        Running run = start(release, root, argv, env, alsoTo, List.of());
        run.process().getOutputStream().close();
        return run;
    }

    /**
     * Starts a warm runtime: like {@link #launch}, but its standard input stays open (the agent writes the app to
     * it, then closes it, so the app sees the same empty standard input as a cold start) and {@code events} is open
     * as its fd 3. A shell outside the sandbox opens the FIFO and execs the usual command, so the sandbox needs no
     * mount of the agent's workspace.
     */
    Running launchWarm(Path release, List<String> argv, Map<String, String> env, Path events) throws IOException {
        return start(release, "", argv, env, null,
                List.of("/bin/sh", "-c", "exec 3>\"$0\" && exec \"$@\"", events.toString()));
    }

    private Running start(Path release, String root, List<String> argv, Map<String, String> env,
                          Consumer<String> alsoTo, List<String> prefix) throws IOException {
        List<Path> procs = cgroup.get().map(Cgroups.Group::procsFiles).orElse(List.of());
        List<String> cmd = new java.util.ArrayList<>(prefix);
        cmd.addAll(sandbox.wrap(release, root, argv, procs));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(sandbox.hostWorkingDir(release, root).toFile());
        // The env goes through the process environment, never bubblewrap's argv: argv is world-readable in
        // /proc/<pid>/cmdline, and env values are user secrets.
        pb.environment().clear();
        pb.environment().putAll(env);
        long firstSeq = logs.lastSeq();
        Process p = spawner.spawn(pb);
        Thread out = LogPump.start(p.getInputStream(), "stdout", logs, alsoTo);
        Thread err = LogPump.start(p.getErrorStream(), "stderr", logs, alsoTo);
        return new Running(p, out, err, firstSeq);
    }

    /**
     * {@code env} as a process started by {@link #launch} would see it, in the same order (an app can see the
     * order: {@code JSON.stringify(process.env)}). The JDK writes a child's environment in its own map's order;
     * the shell that joins the cgroup re-exports it in its own order and adds PWD, so that shell is asked;
     * bubblewrap's {@code --chdir} then sets PWD, in place or appended. The shell's order depends only on the
     * names and their order, so what {@link #anticipateEnv} learnt for the same names is used instead of a shell
     * on the inject's path; PWD, the one value the shell sets itself, is then the launch's working directory.
     */
    Map<String, String> environAsLaunched(Map<String, String> env, Path release, String root) throws IOException {
        Path cwd = sandbox.hostWorkingDir(release, root);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (!joinsCgroup()) {
            ProcessBuilder pb = new ProcessBuilder();
            pb.environment().clear();
            pb.environment().putAll(env);
            out.putAll(pb.environment());
        } else {
            Optional<List<String>> order = env.containsKey("PWD") ? Optional.empty() : learnt(env);
            if (order.isPresent()) {
                for (String name : order.get()) {
                    // The shell sets PWD from getcwd(): the physical path of where the launch starts.
                    out.put(name, name.equals("PWD") ? cwd.toRealPath().toString() : env.get(name));
                }
            } else {
                // A PWD of the app's own is kept or replaced by the shell depending on where it points: ask it there.
                out.putAll(probe(env, cwd));
            }
        }
        if (sandbox.isolated()) {
            out.put("PWD", sandbox.appDir(release, root));
        }
        return out;
    }

    /**
     * Learns, off the inject's path, the order the launch shell gives {@code env}'s names (run in {@code release},
     * which exists before the archive is extracted into it), so {@link #environAsLaunched} needs no shell.
     */
    void anticipateEnv(Map<String, String> env, Path release) {
        if (!joinsCgroup() || env.containsKey("PWD")) {
            return;
        }
        List<String> names = List.copyOf(env.keySet());
        Map<String, String> copy = new java.util.LinkedHashMap<>(env);
        if (envOrders.size() >= MAX_ENV_ORDERS) {
            envOrders.clear(); // a handful of key sets per agent; never grows without bound
        }
        envOrders.computeIfAbsent(names, k -> {
            java.util.concurrent.CompletableFuture<Optional<List<String>>> f = new java.util.concurrent.CompletableFuture<>();
            Thread.ofVirtual().name("env-order").start(() -> {
                try {
                    f.complete(orderOf(copy, probe(copy, release)));
                } catch (IOException | RuntimeException e) {
                    f.complete(Optional.empty());
                }
            });
            return f;
        });
    }

    /** The order learnt for exactly {@code env}'s names (waiting for a probe still running); empty: not known. */
    private Optional<List<String>> learnt(Map<String, String> env) {
        var f = envOrders.get(List.copyOf(env.keySet()));
        if (f == null) {
            return Optional.empty();
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException e) {
            return Optional.empty();
        }
    }

    /**
     * The names in the shell's order, when that order is all that the shell changed: it kept every value but PWD's
     * and added nothing else. Anything more and the order is not reused (the exact probe runs instead).
     */
    private static Optional<List<String>> orderOf(Map<String, String> in, Map<String, String> shell) {
        for (var e : shell.entrySet()) {
            if (!e.getKey().equals("PWD") && !e.getValue().equals(in.get(e.getKey()))) {
                return Optional.empty();
            }
        }
        if (!shell.keySet().containsAll(in.keySet())) {
            return Optional.empty();
        }
        return Optional.of(List.copyOf(shell.keySet()));
    }

    private boolean joinsCgroup() {
        return !cgroup.get().map(Cgroups.Group::procsFiles).orElse(List.of()).isEmpty();
    }

    /** What {@code sh -c 'exec env -0'} started in {@code cwd} with {@code env} sees, in its order. */
    private static Map<String, String> probe(Map<String, String> env, Path cwd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "exec env -0").directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        String block = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("sh -c 'exec env -0' exited with " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String entry : block.split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                out.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return out;
    }

    /** The last {@code lines} lines {@code run} wrote, oldest first, as one text. */
    String tail(Running run, int lines) {
        return logs.tailSince(run.firstSeq(), lines).stream().map(LogBuffer.Line::text)
                .collect(Collectors.joining("\n"));
    }
}
