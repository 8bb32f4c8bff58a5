package dev.vibed.core.reconcile;

import dev.vibed.core.agent.AgentClient;
import dev.vibed.core.agent.AgentState;
import dev.vibed.core.agent.AgentStatus;
import dev.vibed.core.agent.InjectRequest;
import dev.vibed.core.app.App;
import dev.vibed.core.app.AppIds;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppStore;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.app.Condition;
import dev.vibed.core.app.Phase;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.core.blob.BlobStore;
import dev.vibed.core.deploy.DeployStage;
import dev.vibed.core.deploy.DeployTimeline;
import dev.vibed.core.sandbox.AppPublisher;
import dev.vibed.core.sandbox.ClaimResult;
import dev.vibed.core.sandbox.SandboxLease;
import dev.vibed.core.sandbox.SandboxPool;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Drives one app towards its spec, one step per call, from whatever state the world is in (level-triggered):
 * claim the active version's sandbox, inject its source, wait until it listens, publish it, move the route, then
 * release older versions' sandboxes after a drain delay. Both modes use it: standalone from {@link ReconcileLoop},
 * Kubernetes from the operator's reconciler. Returns when to look again (null: only on the next change).
 */
public final class AppReconciler {
    private static final Logger LOG = Logger.getLogger(AppReconciler.class.getName());
    private static final Duration SOON = Duration.ofMillis(200);
    /** Only a safety net: pools that can (standalone) wake the loop when a pending claim binds. */
    private static final Duration CLAIM_POLL = Duration.ofMillis(500);
    /** How long one pass waits on the agent's long-poll for the next change of a starting app. */
    private static final Duration STATUS_WAIT = Duration.ofSeconds(5);
    /** How long an inject's answer may wait for the app to listen; most apps boot well within it. */
    private static final Duration INJECT_WAIT = Duration.ofSeconds(2);
    private static final int CRASH_LOG_LIMIT = 4096;
    /** Reason while the published sandbox is not reachable through its Service yet (no ready endpoint). */
    public static final String WAITING_FOR_ENDPOINT = "WaitingForEndpoint";

    private final AppStore store;
    private final SandboxPool pool;
    private final AgentClient agents;
    private final BlobStore blobs;
    private final AppPublisher publisher;
    private final PublicUrls urls;
    private final Clock clock;
    private final ReconcileSettings settings;
    /** When an agent was first found unreachable, per claim; only a grace timer, so losing it on restart is harmless. */
    private final Map<String, Instant> unreachableSince = new ConcurrentHashMap<>();
    /** When an inject of a claim first failed other than by rejection (5xx, network), for the same grace. */
    private final Map<String, Instant> injectFailingSince = new ConcurrentHashMap<>();

    private final DeployTimeline timeline;

    public AppReconciler(AppStore store, SandboxPool pool, AgentClient agents, BlobStore blobs, AppPublisher publisher,
                         PublicUrls urls, Clock clock, ReconcileSettings settings) {
        this(store, pool, agents, blobs, publisher, urls, clock, settings, DeployTimeline.none());
    }

    /** @param timeline where the claim, inject and start stages of each deploy are marked as they end */
    public AppReconciler(AppStore store, SandboxPool pool, AgentClient agents, BlobStore blobs, AppPublisher publisher,
                         PublicUrls urls, Clock clock, ReconcileSettings settings, DeployTimeline timeline) {
        this.timeline = timeline;
        this.store = store;
        this.pool = pool;
        this.agents = agents;
        this.blobs = blobs;
        this.publisher = publisher;
        this.urls = urls;
        this.clock = clock;
        this.settings = settings;
    }

    public Duration reconcile(String appId) {
        Optional<App> found = store.get(appId);
        if (found.isEmpty()) {
            releaseClaims(appId, null);
            return null;
        }
        App app = found.get();
        if (app.deleting()) {
            releaseClaims(appId, null);
            publisher.unpublish(appId);
            store.remove(appId);
            return null;
        }
        if (app.spec().suspended()) {
            return suspend(app);
        }
        return rollout(app);
    }

    private Duration suspend(App app) {
        releaseClaims(app.id(), null);
        publisher.unpublish(app.id());
        AppStatus.Builder next = base(app);
        if (next.servingVersion > 0) {
            next.outcome(next.servingVersion, "suspended");
        }
        next.phase = Phase.SUSPENDED;
        next.routeTarget = null;
        next.sandboxRef = null;
        next.servingVersion = 0;
        next.message = "suspended: resume to serve again";
        next.condition(Condition.READY, false, "Suspended", "the app is suspended", now());
        write(app, next);
        return null;
    }

    private Duration rollout(App app) {
        AppStatus current = app.status();
        AppVersion version = app.spec().active();
        AppStatus.Builder next = base(app);
        String key = AppIds.claimKey(app.id(), version.version());
        // One read of this app's claims per pass (the controller answers it from its informer cache).
        Set<String> claims = pool.claimKeysOf(app.id());
        boolean otherServes = current.servingVersion() > 0 && current.servingVersion() != version.version()
                && current.routeTarget() != null
                && claims.contains(AppIds.claimKey(app.id(), current.servingVersion()));

        if (current.failedVersion() == version.version() && current.observedGeneration() == app.generation()) {
            // This rollout already failed; it is retried only when the spec changes (redeploy, env, rollback, resume).
            return otherServes ? settings.healthInterval() : null;
        }
        if (!pool.hasTemplate(version.template())) {
            return fail(app, next, version, key, otherServes, "TemplateMissing",
                    "template '" + version.template() + "' does not exist");
        }
        ClaimResult claim = pool.claim(key, version.template(), Map.of("vibed.dev/app", app.id(),
                "vibed.dev/version", String.valueOf(version.version())));
        if (claim instanceof ClaimResult.Failed f) {
            return fail(app, next, version, key, otherServes, f.reason(), f.message());
        }
        if (claim instanceof ClaimResult.Pending p) {
            // The pool's reason shows meanwhile (e.g. WarmPoolNotFound, retried with the pool's backoff).
            progress(app, next, otherServes, Phase.CLAIMING, p.reason(), p.message());
            return p.retryAfter() == null ? CLAIM_POLL : p.retryAfter();
        }
        ClaimResult.Bound bound = (ClaimResult.Bound) claim;
        SandboxLease lease = bound.lease();
        timeline.mark(key, DeployStage.CLAIM);
        if (bound.unused()) {
            // Just taken from the pool: its agent is idle, and the inject's answer carries its status.
            return inject(app, next, version, key, lease, otherServes, claims);
        }
        AgentStatus agent;
        try {
            agent = agents.status(lease.agent());
            unreachableSince.remove(key);
        } catch (AgentClient.AgentUnreachableException e) {
            Instant since = unreachableSince.computeIfAbsent(key, k -> now());
            if (now().isAfter(since.plus(settings.agentGrace()))) {
                unreachableSince.remove(key);
                return fail(app, next, version, key, otherServes, "AgentUnreachable", e.getMessage());
            }
            progress(app, next, otherServes, Phase.STARTING, "AgentUnreachable", "waiting for the sandbox agent: " + e.getMessage());
            return Duration.ofSeconds(1);
        }
        if (agent.state() == AgentState.IDLE || !key.equals(agent.revision())) {
            return inject(app, next, version, key, lease, otherServes, claims);
        }
        return follow(app, next, version, key, lease, otherServes, agent, claims);
    }

    /** Acts on the agent's status of the active version's start: fail, wait for the next change, or publish. */
    private Duration follow(App app, AppStatus.Builder next, AppVersion version, String key, SandboxLease lease,
                            boolean otherServes, AgentStatus agent, Set<String> claims) {
        if (agent.state() == AgentState.CRASHLOOP || agent.state() == AgentState.EXITED) {
            next.restarts = agent.restarts();
            next.lastCrashLog = tail(agent.crashLog());
            String reason = agent.state() == AgentState.CRASHLOOP ? "CrashLoop" : "AppExited";
            String message = agent.message() != null ? agent.message()
                    : "the app exited" + (agent.exitCode() != null ? " with code " + agent.exitCode() : "");
            return fail(app, next, version, key, otherServes, reason, message);
        }
        if (!agent.listening()) {
            next.restarts = agent.restarts();
            // The agent says what it is doing (installing dependencies, building) when it knows more than we do.
            String doing = agent.message() != null ? agent.message() : "waiting for the app to listen on port " + lease.appPort();
            progress(app, next, otherServes, Phase.STARTING, "Starting", doing);
            return afterNextChange(lease, agent);
        }
        timeline.mark(key, DeployStage.START);
        return publish(app, next, version, key, lease, agent, claims);
    }

    /**
     * Injects and lets the agent wait, within {@link #INJECT_WAIT}, for the app to listen or fail: an app that boots
     * quickly is published in this same pass, with one status write before the inject and none until the outcome. One that takes longer
     * (installing, building, a slow boot) is followed as before, from the status the inject answered with.
     */
    private Duration inject(App app, AppStatus.Builder next, AppVersion version, String key, SandboxLease lease,
                            boolean otherServes, Set<String> claims) {
        // Written before the inject rather than after it: a watcher sees the start begin, and the status need not be
        // written again until the app serves or fails.
        progress(app, next, otherServes, Phase.STARTING, "Injecting", "handing the source to the sandbox and starting the app");
        Optional<AgentClient.Injected> injected;
        try {
            String url = blobs.sourceUrl(version.source().blobKey(), settings.sourceUrlValidity()).toString();
            injected = agents.injectAndAwait(lease.agent(), new InjectRequest(url, version.source().sha256(),
                    version.env(), null, lease.appPort(), version.template(), version.root(), key), INJECT_WAIT);
        } catch (AgentClient.InjectRejectedException e) {
            return fail(app, next, version, key, otherServes, "InjectFailed", e.getMessage());
        } catch (AgentClient.AgentUnreachableException | IOException e) {
            // Same grace as for status calls: a sandbox that keeps failing the inject fails the rollout.
            Instant since = injectFailingSince.computeIfAbsent(key, k -> now());
            if (now().isAfter(since.plus(settings.agentGrace()))) {
                injectFailingSince.remove(key);
                return fail(app, next, version, key, otherServes, "AgentUnreachable", "inject kept failing: " + e.getMessage());
            }
            progress(app, next, otherServes, Phase.STARTING, "AgentUnreachable", "inject did not reach the agent: " + e.getMessage());
            return Duration.ofSeconds(1);
        }
        injectFailingSince.remove(key);
        if (injected.isPresent() && key.equals(injected.get().status().revision())) {
            timeline.mark(key, DeployStage.INJECT, injected.get().waited());
            AgentStatus status = injected.get().status();
            if (!status.listening()) {
                pool.settled(key); // a long start (an install, a build, a slow boot) does not hold the pool back
            }
            return follow(app, next, version, key, lease, otherServes, status, claims);
        }
        pool.settled(key); // an agent that does not wait: its start is not followed from here
        timeline.mark(key, DeployStage.INJECT);
        progress(app, next, otherServes, Phase.STARTING, "Injected", "source injected, starting the app");
        return Duration.ZERO; // the next pass long-polls the agent
    }

    /**
     * Waits for the agent's next state change (its long-poll answers on the event: listening, crashed) and asks to
     * be run again at once. An agent that answers without a change (its wait ran out, or it cannot long-poll) is
     * looked at again shortly, so nothing spins.
     */
    private Duration afterNextChange(SandboxLease lease, AgentStatus seen) {
        try {
            AgentStatus after = agents.awaitChange(lease.agent(), seen, STATUS_WAIT);
            return after.changeTag().equals(seen.changeTag()) ? SOON : Duration.ZERO;
        } catch (AgentClient.AgentUnreachableException e) {
            return SOON; // the next pass's status call reports it, with its grace
        }
    }

    private Duration publish(App app, AppStatus.Builder next, AppVersion version, String key, SandboxLease lease,
                             AgentStatus agent, Set<String> claims) {
        String target;
        try {
            target = publisher.publish(app, lease);
        } catch (AppPublisher.NotYetException e) {
            AppStatus serving = app.status();
            boolean otherServes = serving.servingVersion() > 0 && serving.servingVersion() != version.version()
                    && serving.routeTarget() != null;
            progress(app, next, otherServes, Phase.STARTING, WAITING_FOR_ENDPOINT, e.getMessage());
            return e.retryAfter() == null ? SOON : e.retryAfter();
        } catch (AppPublisher.PublishException e) {
            return fail(app, next, version, key, false, "ServiceFailed", e.getMessage());
        }
        AppStatus current = app.status();
        boolean switching = current.servingVersion() != version.version() || !target.equals(current.routeTarget());
        if (switching && current.servingVersion() > 0 && current.servingVersion() != version.version()) {
            next.outcome(current.servingVersion(), "replaced");
        }
        next.phase = Phase.READY;
        next.routeTarget = target;
        next.sandboxRef = lease.sandboxName();
        next.servingVersion = version.version();
        next.failedVersion = 0;
        next.restarts = agent.restarts();
        next.message = null;
        if (switching) {
            next.lastDeployedAt = now();
        }
        next.outcome(version.version(), "live");
        next.condition(Condition.READY, true, "Serving", "version " + version.version() + " serves", now());
        next.condition(Condition.DEPLOYED, true, "RolledOut", "version " + version.version() + " is live", now());
        if (agent.warning() != null) {
            next.condition(Condition.WARNING, true, agent.warning().startsWith("listens on ") ? "PortMismatch"
                    : "AppWarning", agent.warning(), now());
        } else {
            next.removeCondition(Condition.WARNING);
        }
        write(app, next);
        pool.settled(key);

        List<String> older = claims.stream()
                .filter(k -> AppIds.claimBelongsTo(k, app.id()) && !k.equals(key)).toList();
        if (older.isEmpty()) {
            return settings.healthInterval();
        }
        Instant releaseAt = (next.lastDeployedAt == null ? now() : next.lastDeployedAt).plus(settings.drain());
        if (now().isBefore(releaseAt)) {
            return Duration.between(now(), releaseAt);
        }
        older.forEach(pool::release);
        return settings.healthInterval();
    }

    /**
     * The active version cannot run. When another version still serves, it keeps serving and only the rollout is
     * reported as failed; otherwise the app is Failed.
     */
    private Duration fail(App app, AppStatus.Builder next, AppVersion version, String key, boolean otherServes,
                          String reason, String message) {
        LOG.info(() -> "app " + app.id() + " version " + version.version() + " failed: " + reason + ": " + message);
        pool.settled(key);
        next.failedVersion = version.version();
        next.outcome(version.version(), "failed: " + reason);
        next.condition(Condition.DEPLOYED, false, reason, message, now());
        if (otherServes) {
            next.phase = Phase.READY;
            next.message = "version " + version.version() + " failed (" + reason + "): " + message
                    + "; version " + next.servingVersion + " keeps serving";
            pool.release(key);
        } else {
            next.phase = Phase.FAILED;
            next.message = reason + ": " + message;
            next.routeTarget = null;
            next.servingVersion = 0;
            next.condition(Condition.READY, false, reason, message, now());
        }
        write(app, next);
        return otherServes ? settings.healthInterval() : null;
    }

    private void progress(App app, AppStatus.Builder next, boolean otherServes, Phase phase, String reason, String message) {
        if (otherServes) {
            next.phase = Phase.READY;
            next.condition(Condition.DEPLOYED, false, reason, message, now());
        } else {
            next.phase = phase;
            next.condition(Condition.READY, false, reason, message, now());
        }
        next.message = message;
        write(app, next);
    }

    private AppStatus.Builder base(App app) {
        AppStatus.Builder next = app.status().toBuilder();
        next.url = urls.url(app.id());
        next.observedGeneration = app.generation();
        next.keepOutcomesOf(app.spec().versions().stream().map(AppVersion::version).toList());
        next.condition(Condition.SOURCE_VALID, true, "Classified",
                app.spec().active().template() + " (" + app.spec().active().rule() + ")", now());
        return next;
    }

    /** Writes only real changes: every write is a watch event, and an unchanged write would wake us again. */
    private void write(App app, AppStatus.Builder next) {
        AppStatus built = next.build();
        if (!built.equals(app.status())) {
            store.updateStatus(app.id(), old -> built);
        }
    }

    private void releaseClaims(String appId, String keep) {
        for (String key : pool.claimKeysOf(appId)) {
            if (!key.equals(keep)) {
                pool.release(key);
            }
        }
    }

    private Instant now() {
        return clock.instant();
    }

    private static String tail(String log) {
        if (log == null || log.length() <= CRASH_LOG_LIMIT) {
            return log;
        }
        return "..." + log.substring(log.length() - CRASH_LOG_LIMIT);
    }
}
