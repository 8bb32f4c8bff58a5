package dev.vibed.standalone.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One sandbox's network namespace, held open by pasta and a holder process inside it. The agent is started into
 * it with {@code nsenter} (see {@link #enter()}), so agent and app share one network, as the containers of a pod
 * do, while pasta forwards the agent's control port and the app's port from the host's loopback.
 *
 * <p>The holder reads its standard input, a pipe from this JVM: when vibeD dies, even by SIGKILL, the holder sees
 * end of file and exits, and pasta exits with its only child. {@link #close()} does the same on purpose and then
 * makes sure: pasta alone does not notice that the processes in its namespace are gone.
 *
 * @param root whether the agent may join the network namespace alone (root can); otherwise it joins pasta's user
 *             namespace too, where it holds the rights over the network that it lacks on the host
 */
record SandboxNetns(Process pasta, ProcessHandle holder, OutputStream holderStdin, Path nsenter, boolean root)
        implements AutoCloseable {
    /** The pasta pid, kept in the sandbox directory so the next start can end a pasta a crash left behind. */
    static final String PID_FILE = "pasta.pid";

    /** The command prefix that runs a program inside this namespace. */
    List<String> enter() {
        String target = Long.toString(holder.pid());
        return root
                ? List.of(nsenter.toString(), "--target", target, "--net", "--")
                : List.of(nsenter.toString(), "--target", target, "--user", "--net", "--preserve-credentials", "--");
    }

    boolean alive() {
        return pasta.isAlive() && holder.isAlive();
    }

    @Override
    public void close() {
        try {
            holderStdin.close();
        } catch (IOException ignored) {
            // already closed: the holder has seen end of file
        }
        try {
            if (!pasta.waitFor(500, TimeUnit.MILLISECONDS)) {
                pasta.destroy();
                if (!pasta.waitFor(1, TimeUnit.SECONDS)) {
                    pasta.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pasta.destroyForcibly();
        }
        if (holder.isAlive()) {
            holder.destroyForcibly();
        }
    }

    /** Ends the pasta named in {@code dir}'s pid file, if it still runs: only a pasta, since pids are reused. */
    static void endOrphan(Path dir) {
        Path file = dir.resolve(PID_FILE);
        if (!Files.exists(file)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(file).trim());
            ProcessHandle.of(pid).filter(SandboxNetns::isPasta).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                waitGone(p, Duration.ofSeconds(2));
            });
        } catch (IOException | NumberFormatException ignored) {
            // a half-written pid file: nothing to end
        }
    }

    /** pasta re-executes itself as passt (or passt.avx2), so either name counts. */
    private static boolean isPasta(ProcessHandle p) {
        return p.info().command().map(c -> c.contains("pasta") || c.contains("passt")).orElse(false);
    }

    /** Polls: for a process that is not our child, onExit() polls too, with long sleeps. */
    private static void waitGone(ProcessHandle p, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (p.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
