package dev.vibed.core.lifecycle;

import dev.vibed.core.access.Caller;
import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.agent.LogLine;
import dev.vibed.core.app.App;
import dev.vibed.core.app.AppIds;
import dev.vibed.core.app.AppStore;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.problem.Problem;
import dev.vibed.core.sandbox.SandboxLease;
import dev.vibed.core.sandbox.SandboxPool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Everything a user does to an existing app, with the ownership check in one place: another owner's app is
 * "not found" (not "forbidden"), so ids cannot be probed. Every change is a spec change that the reconciler then
 * carries out; nothing here touches sandboxes directly.
 */
public final class AppService {
    private final AppStore store;
    private final SandboxPool pool;
    private final AgentClient agents;
    private final AppPolicy policy;
    private final Clock clock;

    public AppService(AppStore store, SandboxPool pool, AgentClient agents, AppPolicy policy, Clock clock) {
        this.store = store;
        this.pool = pool;
        this.agents = agents;
        this.policy = policy;
        this.clock = clock;
    }

    public record Page(List<AppView> apps, String nextCursor) {
    }

    public AppView get(Caller caller, String id) {
        return AppView.of(owned(caller, id));
    }

    /** Apps sorted by id; {@code cursor} is the last id of the previous page. */
    public Page list(Caller caller, String cursor, int limit) {
        return list(caller, cursor, limit, a -> true);
    }

    /** Like {@link #list(Caller, String, int)}, keeping only the apps {@code filter} accepts. */
    public Page list(Caller caller, String cursor, int limit, Predicate<AppView> filter) {
        if (limit < 1 || limit > 500) {
            throw Problem.badRequest("invalid_limit", "limit must be between 1 and 500");
        }
        List<App> mine = store.list().stream()
                .filter(a -> caller.mayAccess(a.spec().owner()))
                .filter(a -> !a.deleting())
                .filter(a -> filter.test(AppView.of(a)))
                .filter(a -> cursor == null || a.id().compareTo(cursor) > 0)
                .sorted(Comparator.comparing(App::id))
                .toList();
        List<App> page = mine.subList(0, Math.min(limit, mine.size()));
        String next = mine.size() > limit ? page.getLast().id() : null;
        return new Page(page.stream().map(AppView::of).toList(), next);
    }

    public void delete(Caller caller, String id) {
        owned(caller, id);
        store.requestDelete(id);
    }

    public List<AppView.VersionView> versions(Caller caller, String id) {
        return AppView.versions(owned(caller, id));
    }

    /** Makes an older version active again, from its stored source; no upload. */
    public AppView rollback(Caller caller, String id, int version) {
        App app = owned(caller, id);
        if (app.spec().version(version).isEmpty()) {
            throw new Problem(Problem.Kind.NOT_FOUND, "version_not_found", "app " + id + " has no version " + version,
                    Map.of("versions", app.spec().versions().stream().map(AppVersion::version).toList()));
        }
        return AppView.of(store.updateSpec(id, spec -> spec.withActiveVersion(version).withSuspended(false)));
    }

    /**
     * Redeploys the active version's source with new env: a new version, so the switch is a normal rollout. A value
     * equal to the mask keeps the current value of that name, so a client that only ever saw masked values (the
     * dashboard) can change one variable without knowing the others.
     */
    public AppView setEnv(Caller caller, String id, Map<String, String> env) {
        Map<String, String> current = owned(caller, id).spec().active().env();
        Map<String, String> valid = EnvRules.validate(EnvRules.keepingMasked(env, current), policy);
        Instant now = clock.instant();
        return AppView.of(store.updateSpec(id, spec -> spec.withNewVersion(
                spec.active().withEnv(spec.latestVersionNumber() + 1, now, valid))));
    }

    /**
     * Changes some env entries and keeps the others (a new version): {@code unset} names go, {@code set} entries are
     * added or replaced. Clients cannot merge by themselves because reads only ever show masked values.
     */
    public AppView changeEnv(Caller caller, String id, Map<String, String> set, java.util.Set<String> unset) {
        owned(caller, id);
        EnvRules.validate(set, policy);
        Instant now = clock.instant();
        return AppView.of(store.updateSpec(id, spec -> {
            Map<String, String> env = new java.util.TreeMap<>(spec.active().env());
            unset.forEach(env::remove);
            env.putAll(set);
            return spec.withNewVersion(spec.active().withEnv(spec.latestVersionNumber() + 1, now, EnvRules.validate(env, policy)));
        }));
    }

    /** Starts the active version again in a fresh sandbox: a new version with the same source and env. */
    public AppView redeploy(Caller caller, String id) {
        owned(caller, id);
        Instant now = clock.instant();
        return AppView.of(store.updateSpec(id, spec -> spec.withNewVersion(
                spec.active().withEnv(spec.latestVersionNumber() + 1, now, spec.active().env())).withSuspended(false)));
    }

    public AppView suspend(Caller caller, String id) {
        owned(caller, id);
        return AppView.of(store.updateSpec(id, spec -> spec.withSuspended(true)));
    }

    public AppView resume(Caller caller, String id) {
        owned(caller, id);
        return AppView.of(store.updateSpec(id, spec -> spec.withSuspended(false)));
    }

    /** Sets the expiry to now + ttl ({@code 0}: never, where the policy allows it). */
    public AppView extend(Caller caller, String id, String ttl) {
        owned(caller, id);
        if (ttl == null || ttl.isBlank()) {
            throw Problem.badRequest("invalid_ttl", "give a ttl such as 24h");
        }
        Duration d = policy.ttl(ttl);
        Instant expiresAt = d.isZero() ? null : clock.instant().plus(d);
        return AppView.of(store.updateSpec(id, spec -> spec.withExpiresAt(expiresAt)));
    }

    /** The last lines of the serving (or else the active) version's output. */
    public List<LogLine> logs(Caller caller, String id, int tail) {
        SandboxLease lease = logSource(caller, id, tail);
        try {
            return agents.logs(lease.agent(), tail);
        } catch (AgentClient.AgentUnreachableException e) {
            throw unreachable(e);
        }
    }

    /**
     * Follows the app's output (the tail first) until {@code sink} returns false. Checks run before anything is
     * streamed, so a front end can still answer with an error.
     */
    public LogFollow followLogs(Caller caller, String id, int tail) {
        return followLogs(caller, id, tail, null);
    }

    /** Follows from the tail, or, with {@code afterSeq}, resumes right after that line with no gap and no repeat. */
    public LogFollow followLogs(Caller caller, String id, int tail, Long afterSeq) {
        SandboxLease lease = logSource(caller, id, tail);
        return sink -> {
            try {
                if (afterSeq != null) {
                    agents.followLogsAfter(lease.agent(), afterSeq, sink);
                } else {
                    agents.followLogs(lease.agent(), tail, sink);
                }
            } catch (AgentClient.AgentUnreachableException e) {
                throw unreachable(e);
            }
        };
    }

    /** A log stream authorised and bound to its sandbox, ready to run. */
    @FunctionalInterface
    public interface LogFollow {
        void run(Predicate<LogLine> sink);
    }

    private SandboxLease logSource(Caller caller, String id, int tail) {
        if (tail < 0 || tail > 5000) {
            throw Problem.badRequest("invalid_tail", "tail must be between 0 and 5000");
        }
        App app = owned(caller, id);
        return currentLease(app).orElseThrow(() -> new Problem(Problem.Kind.NOT_FOUND, "no_sandbox",
                "app " + id + " has no running sandbox (it is " + AppView.of(app).phase() + ")"));
    }

    private static Problem unreachable(AgentClient.AgentUnreachableException e) {
        return new Problem(Problem.Kind.UNAVAILABLE, "agent_unreachable", "the app's sandbox did not answer: " + e.getMessage());
    }

    /** The sandbox whose output a user means by "the app's logs". */
    public Optional<SandboxLease> currentLease(App app) {
        int serving = app.status().servingVersion();
        Optional<SandboxLease> lease = serving > 0 ? pool.lease(AppIds.claimKey(app.id(), serving)) : Optional.empty();
        return lease.isPresent() ? lease : pool.lease(AppIds.claimKey(app.id(), app.spec().activeVersion()));
    }

    /** Checks the caller may see the app; throws a uniform not-found otherwise. */
    public App owned(Caller caller, String id) {
        if (!AppIds.validId(id)) {
            throw Problem.notFound("app " + id);
        }
        return store.get(id).filter(a -> caller.mayAccess(a.spec().owner())).filter(a -> !a.deleting())
                .orElseThrow(() -> Problem.notFound("app " + id));
    }
}
