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
        List<Path> procs = cgroup.get().map(Cgroups.Group::procsFiles).orElse(List.of());
        ProcessBuilder pb = new ProcessBuilder(sandbox.wrap(release, root, argv, procs))
                .directory(sandbox.hostWorkingDir(release, root).toFile());
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

    /** The last {@code lines} lines {@code run} wrote, oldest first, as one text. */
    String tail(Running run, int lines) {
        return logs.tailSince(run.firstSeq(), lines).stream().map(LogBuffer.Line::text)
                .collect(Collectors.joining("\n"));
    }
}
