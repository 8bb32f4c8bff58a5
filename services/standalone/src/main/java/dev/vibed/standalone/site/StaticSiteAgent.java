package dev.vibed.standalone.site;

import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.agent.AgentState;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.agent.InjectRequest;
import dev.vibed.core.agent.LogLine;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@link AgentClient} port onto the shared static host, for the leases of {@link StaticSitePool}: what an agent
 * would say of a static site, answered in process. A site serves as soon as its files are unpacked, so an inject
 * returns with the site listening and {@link #awaitChange} has nothing to wait for. The host runs no process per
 * site: {@code pid} is 0 and {@code restarts} stays 0.
 */
public final class StaticSiteAgent implements AgentClient {
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final StaticSites sites;

    public StaticSiteAgent(StaticSites sites) {
        this.sites = sites;
    }

    @Override
    public AgentStatus status(Endpoint agent) throws AgentUnreachableException {
        StaticSites.Site site = site(agent);
        return site.served()
                .map(s -> new AgentStatus(AgentState.RUNNING, 0, 0, null, 0, sites.bootId(), s.revision(), true, null, null))
                .orElseGet(() -> new AgentStatus(AgentState.IDLE, 0, 0, null, 0, sites.bootId(), null, false, null, null));
    }

    @Override
    public AgentStatus awaitChange(Endpoint agent, AgentStatus seen, Duration wait) throws AgentUnreachableException {
        return status(agent); // nothing here changes on its own: every change is an inject, stop or release
    }

    @Override
    public void inject(Endpoint agent, InjectRequest request) throws AgentUnreachableException, InjectRejectedException {
        try {
            sites.inject(SiteAddress.claimOf(agent), request.sha256(), request.root(), request.revision());
        } catch (StaticSites.RejectedException e) {
            throw new InjectRejectedException(e.getMessage());
        } catch (IOException e) {
            throw new AgentUnreachableException("the static host could not unpack the site: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop(Endpoint agent) {
        sites.stop(SiteAddress.claimOf(agent));
    }

    @Override
    public List<LogLine> logs(Endpoint agent, int tail) throws AgentUnreachableException {
        return site(agent).lines(0, tail);
    }

    @Override
    public void followLogs(Endpoint agent, int tail, Predicate<LogLine> sink) throws AgentUnreachableException {
        StaticSites.Site site = site(agent);
        List<LogLine> first = site.lines(0, tail);
        follow(site, first.isEmpty() ? 0 : first.getFirst().seq() - 1, sink);
    }

    @Override
    public void followLogsAfter(Endpoint agent, long afterSeq, Predicate<LogLine> sink) throws AgentUnreachableException {
        follow(site(agent), afterSeq, sink);
    }

    /** New lines as they come (an inject writes one), with heartbeats, until the reader goes or the site does. */
    private static void follow(StaticSites.Site site, long afterSeq, Predicate<LogLine> sink) {
        long seen = afterSeq;
        while (!site.released()) {
            for (LogLine line : site.lines(seen, Integer.MAX_VALUE)) {
                if (!sink.test(line)) {
                    return;
                }
                seen = line.seq();
            }
            if (!sink.test(null)) {
                return;
            }
            try {
                site.awaitLineAfter(seen, HEARTBEAT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private StaticSites.Site site(Endpoint agent) throws AgentUnreachableException {
        String claim = SiteAddress.claimOf(agent);
        return sites.get(claim).orElseThrow(() -> new AgentUnreachableException("no static site is bound to " + claim, null));
    }
}
