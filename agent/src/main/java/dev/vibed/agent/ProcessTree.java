package dev.vibed.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stops a process and everything it started: SIGTERM, a grace period, then SIGKILL. */
final class ProcessTree {
    private ProcessTree() {
    }

    /**
     * @param wrapped true when {@code root} is an isolation wrapper (bubblewrap). The wrapper is then spared the
     *                SIGTERM: bubblewrap dies on it at once and its PID-namespace init SIGKILLs the app, which
     *                would rob the app of its graceful shutdown. The app gets the SIGTERM instead and the
     *                wrapper exits when it does.
     */
    static void terminate(ProcessHandle root, boolean wrapped, Duration grace) {
        // Snapshot before signalling: once the root dies its children are re-parented and no longer found.
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        if (!wrapped || tree.isEmpty()) {
            root.destroy();
        }
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        waitFor(root, grace);
        // Everyone shares one grace period: a parent that exits at once must not cut its children's short.
        awaitGone(tree, deadline);
        tree.add(root);
        tree.addAll(root.descendants().toList());
        for (ProcessHandle p : tree) {
            if (running(p)) {
                p.destroyForcibly();
            }
        }
        waitFor(root, Duration.ofSeconds(2));
    }

    /** SIGKILL, no grace: for installers that overran their budget and for strays. */
    static void kill(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        root.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        waitFor(root, Duration.ofSeconds(2));
    }

    /**
     * Polls rather than {@code onExit()}: for processes that are not our children the JDK can only poll, and
     * does so with long sleeps.
     */
    private static void awaitGone(List<ProcessHandle> processes, long deadlineNanos) {
        while (processes.stream().anyMatch(ProcessTree::running) && System.nanoTime() < deadlineNanos) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Alive and not a zombie. When bubblewrap's outer process exits first, its inner one is re-parented to the
     * host's init and stays a zombie until that reaps it (a second, here); {@link ProcessHandle#isAlive()} counts
     * zombies as alive, and waiting for them would stretch every stop to the full grace period.
     */
    static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return p.isAlive();
        }
    }

    static boolean waitFor(ProcessHandle p, Duration timeout) {
        try {
            p.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !p.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    /**
     * Whether {@code pid} is one of {@code roots} or a descendant of one, judged by walking its parents now: a
     * child forked after the roots were named still counts.
     */
    static boolean descendsFrom(long pid, Set<Long> roots) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        while (p.isPresent()) {
            if (roots.contains(p.get().pid())) {
                return true;
            }
            p = p.get().parent();
        }
        return false;
    }
}
