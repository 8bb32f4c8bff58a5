package dev.vibed.agent;

import java.time.Instant;

/**
 * The agent's own diagnostics, on stderr (the launcher keeps them in the sandbox's log file). Deliberately not a
 * logging framework: it would cost start-up time and memory for a handful of lines.
 */
final class AgentLog {
    private AgentLog() {
    }

    static void info(String message) {
        System.err.println(Instant.now() + " vibed-agent: " + message);
    }
}
