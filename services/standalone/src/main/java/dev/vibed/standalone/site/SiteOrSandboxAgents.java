package dev.vibed.standalone.site;

import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.agent.InjectRequest;
import dev.vibed.core.agent.LogLine;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The {@link AgentClient} the reconciler and the log readers see in standalone: an endpoint of the shared static
 * host ({@link SiteAddress}) is answered in process by {@link StaticSiteAgent}, any other goes to the sandbox's
 * agent over HTTP.
 */
public final class SiteOrSandboxAgents implements AgentClient {
    private final StaticSiteAgent sites;
    private final AgentClient agents;

    public SiteOrSandboxAgents(StaticSiteAgent sites, AgentClient agents) {
        this.sites = sites;
        this.agents = agents;
    }

    private AgentClient of(Endpoint agent) {
        return SiteAddress.isSite(agent) ? sites : agents;
    }

    @Override
    public AgentStatus status(Endpoint agent) throws AgentUnreachableException {
        return of(agent).status(agent);
    }

    @Override
    public AgentStatus awaitChange(Endpoint agent, AgentStatus seen, Duration wait) throws AgentUnreachableException {
        return of(agent).awaitChange(agent, seen, wait);
    }

    @Override
    public void inject(Endpoint agent, InjectRequest request) throws AgentUnreachableException, InjectRejectedException {
        of(agent).inject(agent, request);
    }

    @Override
    public java.util.Optional<Injected> injectAndAwait(Endpoint agent, InjectRequest request, Duration wait)
            throws AgentUnreachableException, InjectRejectedException {
        return of(agent).injectAndAwait(agent, request, wait);
    }

    @Override
    public void stop(Endpoint agent) throws AgentUnreachableException {
        of(agent).stop(agent);
    }

    @Override
    public List<LogLine> logs(Endpoint agent, int tail) throws AgentUnreachableException {
        return of(agent).logs(agent, tail);
    }

    @Override
    public void followLogs(Endpoint agent, int tail, Predicate<LogLine> sink) throws AgentUnreachableException {
        of(agent).followLogs(agent, tail, sink);
    }

    @Override
    public void followLogsAfter(Endpoint agent, long afterSeq, Predicate<LogLine> sink) throws AgentUnreachableException {
        of(agent).followLogsAfter(agent, afterSeq, sink);
    }
}
