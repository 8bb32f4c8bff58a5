package dev.vibed.core.agent;

import java.net.URI;
import java.util.List;

/**
 * Port to a sandbox's vibed-agent control API. Both modes use the same HTTP implementation
 * ({@link HttpAgentClient}); only how the agent's address and token are found differs.
 */
public interface AgentClient {

    /** Where and how to reach one agent. The token is a secret: never log it. */
    record Endpoint(URI controlUri, String token) {
        @Override
        public String toString() {
            return "Endpoint[" + controlUri + "]";
        }
    }

    AgentStatus status(Endpoint agent) throws AgentUnreachableException;

    /**
     * The agent's status as soon as it differs from {@code seen}, or after {@code wait} if nothing changed: lets the
     * reconciler follow an app's start (installing, starting, listening) by events instead of polling on a timer.
     */
    default AgentStatus awaitChange(Endpoint agent, AgentStatus seen, java.time.Duration wait) throws AgentUnreachableException {
        return status(agent);
    }

    void inject(Endpoint agent, InjectRequest request) throws AgentUnreachableException, InjectRejectedException;

    /**
     * What an inject that waited for the app's start came to: the agent's status once the app listened, failed or
     * began installing or building (or when the wait was over), and how much of the call was that wait, so the
     * inject and the start can be timed apart.
     */
    record Injected(AgentStatus status, java.time.Duration waited) {
    }

    /**
     * Injects, then lets the agent wait up to {@code wait} for the app to get past its launch, so that an app that
     * is up can be published in the same round trip. Empty when the agent did not say (an agent without the wait
     * answers at once with less than a status): the caller follows the start as after {@link #inject}.
     */
    default java.util.Optional<Injected> injectAndAwait(Endpoint agent, InjectRequest request, java.time.Duration wait)
            throws AgentUnreachableException, InjectRejectedException {
        inject(agent, request);
        return java.util.Optional.empty();
    }

    void stop(Endpoint agent) throws AgentUnreachableException;

    /** The last {@code tail} lines of the app's output, oldest first. */
    List<LogLine> logs(Endpoint agent, int tail) throws AgentUnreachableException;

    /**
     * Streams the last {@code tail} lines, then new ones as they come, until {@code sink} returns false (the reader
     * went away) or the agent ends the stream. The sink gets {@code null} for each heartbeat of the stream.
     */
    void followLogs(Endpoint agent, int tail, java.util.function.Predicate<LogLine> sink) throws AgentUnreachableException;

    /**
     * Like {@link #followLogs(Endpoint, int, java.util.function.Predicate)}, but resumes after line {@code afterSeq}
     * (no tail): every line the sandbox logged after it, then new ones.
     */
    void followLogsAfter(Endpoint agent, long afterSeq, java.util.function.Predicate<LogLine> sink) throws AgentUnreachableException;

    class AgentUnreachableException extends Exception {
        public AgentUnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    class InjectRejectedException extends Exception {
        public InjectRejectedException(String message) {
            super(message);
        }
    }
}
