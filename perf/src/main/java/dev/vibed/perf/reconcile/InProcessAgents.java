package dev.vibed.perf.reconcile;

import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.agent.AgentState;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.agent.InjectRequest;
import dev.vibed.core.agent.LogLine;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Plays every sandbox's vibed-agent in the benchmark's JVM: one agent per control URI (each benchmark pod has its
 * own address), idle until an inject, then running and listening at once. A thousand real agent processes do not
 * fit on this machine, and the scale benchmark measures the controller and the API server, not app start (the
 * deploy-to-URL benchmark does that with real agents), so the agent answers at memory speed.
 */
final class InProcessAgents implements AgentClient {
    private final Map<URI, AgentStatus> agents = new ConcurrentHashMap<>();

    @Override
    public AgentStatus status(Endpoint agent) {
        return agents.computeIfAbsent(agent.controlUri(), uri -> new AgentStatus(AgentState.IDLE, 0, 0, null, 0,
                UUID.randomUUID().toString(), null, false, null, null));
    }

    @Override
    public AgentStatus awaitChange(Endpoint agent, AgentStatus seen, Duration wait) {
        return status(agent);
    }

    @Override
    public void inject(Endpoint agent, InjectRequest request) {
        AgentStatus idle = status(agent);
        agents.put(agent.controlUri(), new AgentStatus(AgentState.RUNNING, 1, 0, null, request.port(), idle.bootId(),
                request.revision(), true, null, null));
    }

    @Override
    public void stop(Endpoint agent) {
        agents.remove(agent.controlUri());
    }

    @Override
    public List<LogLine> logs(Endpoint agent, int tail) {
        return List.of();
    }

    @Override
    public void followLogs(Endpoint agent, int tail, Predicate<LogLine> sink) {
    }

    @Override
    public void followLogsAfter(Endpoint agent, long afterSeq, Predicate<LogLine> sink) {
    }
}
