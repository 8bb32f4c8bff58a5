package dev.vibed.core.deploy;

import dev.vibed.core.access.Caller;
import dev.vibed.core.app.App;
import dev.vibed.core.app.AppIds;
import dev.vibed.core.app.AppSpec;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppStore;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.app.Phase;
import dev.vibed.core.app.PublicUrls;
import dev.vibed.core.app.SourceRef;
import dev.vibed.core.archive.ArchiveInspector;
import dev.vibed.core.archive.ArchiveManifest;
import dev.vibed.core.archive.ArchiveRejectedException;
import dev.vibed.core.blob.BlobStore;
import dev.vibed.core.classify.Classification;
import dev.vibed.core.classify.Classifier;
import dev.vibed.core.classify.UnclassifiableException;
import dev.vibed.core.lifecycle.AppPolicy;
import dev.vibed.core.lifecycle.AppView;
import dev.vibed.core.lifecycle.EnvRules;
import dev.vibed.core.problem.Problem;
import dev.vibed.core.sandbox.SandboxLease;
import dev.vibed.core.sandbox.SandboxPool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The deploy use case, shared by every front end: check the archive, classify it, store it, then create the app or
 * add a version to the caller's app of the same name, and wait a bounded time for it to serve.
 */
public final class DeployService {
    private static final Logger LOG = Logger.getLogger(DeployService.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AppStore store;
    private final BlobStore blobs;
    private final SandboxPool pool;
    private final ArchiveInspector inspector;
    private final Classifier classifier;
    private final AppWaiter waiter;
    private final DeployTimeline timeline;
    private final PublicUrls urls;
    private final AppPolicy policy;
    private final Clock clock;
    private final DeployAdmission admission;

    public DeployService(AppStore store, BlobStore blobs, SandboxPool pool, ArchiveInspector inspector,
                         Classifier classifier, AppWaiter waiter, PublicUrls urls, AppPolicy policy, Clock clock) {
        this(store, blobs, pool, inspector, classifier, waiter, urls, policy, clock, DeployTimeline.none(),
                DeployAdmission.unlimited());
    }

    /** @param admission how many deploys do vibeD's own work at once (see {@link DeployAdmission}) */
    public DeployService(AppStore store, BlobStore blobs, SandboxPool pool, ArchiveInspector inspector,
                         Classifier classifier, AppWaiter waiter, PublicUrls urls, AppPolicy policy, Clock clock,
                         DeployTimeline timeline, DeployAdmission admission) {
        this.admission = admission;
        this.timeline = timeline;
        this.store = store;
        this.blobs = blobs;
        this.pool = pool;
        this.inspector = inspector;
        this.classifier = classifier;
        this.waiter = waiter;
        this.urls = urls;
        this.policy = policy;
        this.clock = clock;
    }

    public DeployOutcome deploy(Caller caller, UploadedSource source, DeployRequest request, Duration wait) {
        return deploy(caller, source, request, wait, DeployProgress.NONE);
    }

    /** As {@link #deploy(Caller, UploadedSource, DeployRequest, Duration)}, telling {@code progress} each stage. */
    public DeployOutcome deploy(Caller caller, UploadedSource source, DeployRequest request, Duration wait,
                                DeployProgress progress) {
        DeployStages stages = new DeployStages(progress);
        String name = request.name() == null ? generatedName() : request.name();
        if (!AppIds.validName(name)) {
            throw Problem.badRequest("invalid_name", "name '" + name
                    + "' must be a lowercase slug (a-z, 0-9, '-', not at the ends) of at most 63 characters");
        }
        Map<String, String> env = EnvRules.validate(request.env(), policy);
        Duration ttl = policy.ttl(request.ttl());
        String id = AppIds.appId(caller.subject(), name);
        App existing = store.get(id).orElse(null);
        if (existing == null) {
            // Before the archive is read or stored: a refused deploy leaves nothing behind.
            enforceQuota(caller);
        }
        // The turn is taken after the checks that refuse a deploy, so a refused one never waits in line; the wait
        // counts in the inspect stage, which is timed from the end of the upload.
        try (DeployAdmission.Admission turn = admission.admit()) {
            DeployTimeline.Run run = timeline.begin(source.received());
            stages.reach(DeployProgress.Stage.RECEIVED, source.sizeBytes() + " bytes, sha256 " + source.sha256().substring(0, 12));
            Classification classification = classify(source);
            run.mark(DeployStage.INSPECT);
            stages.reach(DeployProgress.Stage.CLASSIFIED, classification.template() + " (" + classification.rule() + ")");
            SourceRef stored = store(source);

            Instant now = clock.instant();
            Instant expiresAt = ttl.isZero() ? null : now.plus(ttl);
            App app;
            boolean created;
            if (existing == null) {
                AppVersion v1 = version(1, now, stored, classification, env);
                AppSpec spec = new AppSpec(name, caller.subject(), List.of(v1), 1, expiresAt, false);
                try {
                    app = store.create(new App(id, 1, now, spec, AppStatus.pending(urls.url(id)), false));
                    created = true;
                } catch (AppStore.AppAlreadyExistsException raced) {
                    app = addVersion(id, caller, stored, classification, env, request.keepEnv(), expiresAt, now);
                    created = false;
                }
            } else {
                app = addVersion(id, caller, stored, classification, env, request.keepEnv(), expiresAt, now);
                created = false;
            }
            int version = app.spec().activeVersion();
            String claimKey = AppIds.claimKey(id, version);
            run.mark(DeployStage.STORE);
            timeline.follow(claimKey, run);
            LOG.info(() -> "deploy " + id + " v" + version + " " + classification.template() + "/" + classification.rule()
                    + " sha256=" + source.sha256());

            AppWaiter.Waited waited = waiter.await(id, version, wait, seen -> {
                stages.observe(seen, version);
                if (turn.held() && !waitsForVibed(seen, version)) {
                    turn.close();
                }
            });
            turn.close();
            if (waited.result() == AppWaiter.Result.SERVING) {
                stages.reach(DeployProgress.Stage.SERVING, waited.app().status().url());
            }
            App latest = waited.app() == null ? app : waited.app();
            DeployOutcome.State state = switch (waited.result()) {
                case SERVING -> DeployOutcome.State.SERVING;
                case FAILED -> DeployOutcome.State.FAILED;
                case TIMEOUT, GONE -> DeployOutcome.State.PENDING;
            };
            if (state == DeployOutcome.State.SERVING) {
                run.mark(DeployStage.CONFIRM);
            }
            timeline.finish(claimKey, run, classification.template(), state.name().toLowerCase(java.util.Locale.ROOT));
            boolean cold = pool.lease(AppIds.claimKey(id, version)).map(SandboxLease::cold).orElse(false);
            return new DeployOutcome(state, AppView.of(latest), version, classification, created, cold);
        }
    }

    /**
     * Whether the rollout of {@code version} is still vibeD's own work: queued for the reconciler's first pass, or
     * its source being handed over (for a static site, its whole rollout). Anything else (a claim waiting for a
     * sandbox to warm, the app installing, building or booting, serving, failed) waits for something else.
     */
    private static boolean waitsForVibed(App seen, int version) {
        RolloutStatus rollout = RolloutStatus.of(seen, version);
        return !rollout.observed() || rollout.phase() == Phase.PENDING || "Injecting".equals(rollout.reason());
    }

    private App addVersion(String id, Caller caller, SourceRef stored, Classification classification,
                           Map<String, String> env, boolean keepEnv, Instant expiresAt, Instant now) {
        App existing = store.get(id).orElseThrow(() -> new AppStore.AppNotFoundException(id));
        if (!caller.mayAccess(existing.spec().owner())) {
            // Ids are derived from the owner, so this only happens to an admin acting on another owner's name.
            throw Problem.notFound("app " + id);
        }
        if (existing.deleting()) {
            throw new Problem(Problem.Kind.CONFLICT, "app_deleting", "app " + id + " is being deleted; deploy again in a moment");
        }
        return store.updateSpec(id, spec -> {
            // keep_env: the app's env stays (as a PaaS keeps config across deploys), with the given entries on top.
            Map<String, String> merged = env;
            if (keepEnv) {
                Map<String, String> kept = new java.util.TreeMap<>(spec.active().env());
                kept.putAll(env);
                merged = EnvRules.validate(kept, policy);
            }
            AppVersion next = version(spec.latestVersionNumber() + 1, now, stored, classification, merged);
            return spec.withNewVersion(next).withSuspended(false).withExpiresAt(expiresAt);
        });
    }

    private Classification classify(UploadedSource source) {
        ArchiveManifest manifest;
        try {
            manifest = inspector.inspect(source.file(), policy.archive());
        } catch (ArchiveRejectedException e) {
            Map<String, Object> details = new HashMap<>();
            if (e.entry() != null) {
                details.put("entry", e.entry());
            }
            throw new Problem(Problem.Kind.BAD_REQUEST, e.code(), e.getMessage(), details);
        } catch (IOException e) {
            throw new Problem(Problem.Kind.BAD_REQUEST, "archive_corrupt", "the archive could not be read: " + e.getMessage());
        }
        try {
            // A project that needs a build is deployed like any other: its sandbox's agent builds it, which usually
            // takes longer than the wait budget, so the answer is then a 202 (the async path).
            return classifier.classify(manifest);
        } catch (UnclassifiableException e) {
            throw new Problem(Problem.Kind.BAD_REQUEST, "unrecognised_project", e.getMessage());
        }
    }

    private SourceRef store(UploadedSource source) {
        try {
            return blobs.put(source.file(), source.sha256(), source.sizeBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("storing the source failed", e);
        }
    }

    /** How many apps {@code subject} owns now, counted against {@link AppPolicy#maxAppsPerOwner()}. */
    public int ownedBy(String subject) {
        return (int) store.list().stream().filter(a -> a.spec().owner().equals(subject)).count();
    }

    private void enforceQuota(Caller caller) {
        long owned = ownedBy(caller.subject());
        if (owned >= policy.maxAppsPerOwner()) {
            throw new Problem(Problem.Kind.TOO_MANY_REQUESTS, "quota_exceeded",
                    "you have " + owned + " apps; the limit is " + policy.maxAppsPerOwner() + ": delete one first");
        }
    }

    private static AppVersion version(int number, Instant now, SourceRef source, Classification c, Map<String, String> env) {
        return new AppVersion(number, now, source, c.lane(), c.template(), c.rule(), c.root(), env);
    }

    private static String generatedName() {
        char[] alphabet = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
        StringBuilder b = new StringBuilder("app-");
        for (int i = 0; i < 8; i++) {
            b.append(alphabet[RANDOM.nextInt(alphabet.length)]);
        }
        return b.toString();
    }
}
