package dev.vibed.agent;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Forks every user process from one long-lived platform thread. bubblewrap's {@code --die-with-parent} uses
 * PR_SET_PDEATHSIG, which Linux ties to the <em>thread</em> that forked the child, not to the process: forking
 * from a virtual thread's carrier (which the scheduler retires when idle) would SIGKILL a healthy app at a
 * random moment. This thread never exits while the agent runs.
 */
final class ProcessSpawner implements AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vibed-spawner");
        t.setDaemon(true);
        return t;
    });

    /**
     * Not interruptible on purpose: the fork happens on the spawner thread regardless, and a caller that gave
     * up waiting would leave a process nobody supervises.
     */
    Process spawn(ProcessBuilder builder) throws IOException {
        Future<Process> started = thread.submit(builder::start);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return started.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IOException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
