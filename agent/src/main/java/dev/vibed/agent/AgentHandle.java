package dev.vibed.agent;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A running agent process started by {@link AgentLauncher}. {@link #close()} stops it gracefully (the agent
 * then stops its app), and forcibly after a grace period.
 *
 * @param host  where the control API and the app are reached (loopback for a wildcard bind)
 * @param token the control token; a secret, left out of {@link #toString()}
 */
public record AgentHandle(Process process, String host, int controlPort, int appPort, String token, String bootId)
        implements AutoCloseable {

    public URI controlUri() {
        return URI.create("http://" + hostForUri() + ":" + controlPort);
    }

    public long pid() {
        return process.pid();
    }

    private String hostForUri() {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    public void close(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        // Snapshot first: if the agent must be killed, its children (the app) are killed with it.
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        if (!ProcessTree.waitFor(process.toHandle(), grace)) {
            process.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
            ProcessTree.waitFor(process.toHandle(), Duration.ofSeconds(5));
        }
    }

    @Override
    public String toString() {
        return "AgentHandle[pid=" + process.pid() + ", control=" + controlUri() + ", appPort=" + appPort
                + ", bootId=" + bootId + "]";
    }
}
