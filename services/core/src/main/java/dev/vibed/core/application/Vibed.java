package dev.vibed.core.application;

import dev.vibed.core.access.Caller;
import dev.vibed.core.agent.LogLine;
import dev.vibed.core.audit.AuditEntry;
import dev.vibed.core.audit.AuditLog;
import dev.vibed.core.deploy.DeployOutcome;
import dev.vibed.core.deploy.DeployProgress;
import dev.vibed.core.deploy.DeployRequest;
import dev.vibed.core.deploy.DeployService;
import dev.vibed.core.deploy.FilesArchive;
import dev.vibed.core.deploy.SourceSpool;
import dev.vibed.core.deploy.UploadTicket;
import dev.vibed.core.deploy.UploadTickets;
import dev.vibed.core.deploy.UploadedSource;
import dev.vibed.core.lifecycle.AppPolicy;
import dev.vibed.core.lifecycle.AppService;
import dev.vibed.core.lifecycle.AppView;
import dev.vibed.core.problem.Problem;
import dev.vibed.core.quota.Quotas;
import dev.vibed.core.quota.RateLimiter;
import dev.vibed.core.quota.StreamSlots;
import dev.vibed.core.watch.AppChange;
import dev.vibed.core.watch.AppWatchHub;
import dev.vibed.core.watch.Subscription;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The application layer: the one object every front end (REST, GraphQL, MCP, the dashboard, the CLI) talks to.
 * Every rule lives behind it: validation, defaults, limits, ownership, quotas, rate limits, audit and the answer
 * codes (as {@link Problem}s). A front end only translates its wire format to these calls and back, so two front
 * ends can never disagree about a rule. Built by {@link VibedFactory}, the same way in standalone and cluster mode.
 */
public final class Vibed implements AutoCloseable {
    public static final int DEFAULT_LOG_TAIL = 100;

    private final DeployService deploys;
    private final AppService apps;
    private final AppWatchHub watches;
    private final AuditLog audit;
    private final SourceSpool spool;
    private final AppPolicy policy;
    private final Limits limits;
    private final Duration deployWait;
    private final List<TemplateInfo> templates;
    private final RateLimiter deployRate;
    private final StreamSlots logStreams;
    private final StreamSlots watchStreams;
    private final UploadTickets uploads;
    private final Clock clock;

    Vibed(DeployService deploys, AppService apps, AppWatchHub watches, AuditLog audit, SourceSpool spool, AppPolicy policy,
          Quotas quotas, Duration deployWait, List<TemplateInfo> templates, Clock clock) {
        this.deploys = deploys;
        this.apps = apps;
        this.watches = watches;
        this.audit = audit;
        this.spool = spool;
        this.policy = policy;
        this.limits = Limits.forSource(policy.archive().maxCompressedBytes());
        this.deployWait = deployWait;
        this.templates = List.copyOf(templates);
        this.deployRate = new RateLimiter(quotas.deploysPerMinute(), clock);
        this.logStreams = new StreamSlots("log streams", quotas.maxLogStreams());
        this.watchStreams = new StreamSlots("live watches", quotas.maxWatches());
        this.uploads = new UploadTickets(spool, policy.archive().maxCompressedBytes(), clock);
        this.clock = clock;
    }

    public Limits limits() {
        return limits;
    }

    // ---- deploy ----------------------------------------------------------------------------------------------

    /**
     * Takes an upload for a deploy: checks the caller's deploy rate first (a refused caller's bytes are not even
     * read), then streams the archive to a private spool file under the size cap (413 beyond). The caller closes
     * the result, which deletes the spool file.
     */
    public UploadedSource receive(Caller caller, InputStream archive) {
        deployRate.acquire(caller.subject(), "deploys");
        try {
            return spool.spool(archive);
        } catch (IOException e) {
            throw Problem.badRequest("upload_failed", "the upload could not be read: " + e.getMessage());
        }
    }

    /**
     * Deploys a received archive: a new app, or a new version of the caller's app of the same name. Waits up to
     * the deploy budget for the URL to serve; the outcome says whether it does, is still starting, or failed.
     */
    public DeployOutcome deploy(Caller caller, UploadedSource source, DeployRequest request) {
        return deploy(caller, source, request, DeployProgress.NONE);
    }

    /** As {@link #deploy(Caller, UploadedSource, DeployRequest)}, telling {@code progress} each stage as it happens. */
    public DeployOutcome deploy(Caller caller, UploadedSource source, DeployRequest request, DeployProgress progress) {
        return audited(caller, "deploy", null, () -> deploys.deploy(caller, source, request, deployWait, progress),
                o -> o.app().id());
    }

    /**
     * Deploys a source given as a map of paths to contents (see {@link FilesArchive} for the value forms and the
     * limits): the map is checked, packed as a tar.gz and deployed exactly like an uploaded archive.
     */
    public DeployOutcome deployFiles(Caller caller, Map<String, ?> files, DeployRequest request, DeployProgress progress) {
        deployRate.acquire(caller.subject(), "deploys");
        byte[] archive;
        try {
            archive = FilesArchive.of(files).toTarGz();
        } catch (Problem p) {
            record(caller, "deploy", null, p.code(), p.getMessage());
            throw p;
        }
        try (UploadedSource source = spoolQuietly(archive)) {
            return deploy(caller, source, request, progress);
        }
    }

    /**
     * A one-time URL a tar.gz can be PUT to without credentials (see {@link UploadTickets}); then
     * {@link #deployUpload} deploys it.
     *
     * @param apiBase the base URL the caller reached this API at, so the URL works from where the caller is
     */
    public UploadTicket createUpload(Caller caller, String apiBase) {
        return uploads.create(caller, apiBase);
    }

    /** The one PUT of an upload slot: no caller, the unguessable id is the credential. */
    public void acceptUpload(String uploadId, InputStream archive) {
        uploads.accept(uploadId, archive);
    }

    /** Deploys what arrived at the caller's upload slot {@code uploadId}; the slot is used up. */
    public DeployOutcome deployUpload(Caller caller, String uploadId, DeployRequest request, DeployProgress progress) {
        deployRate.acquire(caller.subject(), "deploys");
        UploadedSource source;
        try {
            source = uploads.take(caller, uploadId);
        } catch (Problem p) {
            record(caller, "deploy", null, p.code(), p.getMessage());
            throw p;
        }
        try (source) {
            return deploy(caller, source, request, progress);
        }
    }

    private UploadedSource spoolQuietly(byte[] archive) {
        try {
            return spool.spool(new ByteArrayInputStream(archive));
        } catch (IOException e) {
            throw new IllegalStateException("spooling an in-memory archive failed", e);
        }
    }

    // ---- reads -----------------------------------------------------------------------------------------------

    public AppView app(Caller caller, String id) {
        return apps.get(caller, id);
    }

    public AppService.Page apps(Caller caller, AppQuery query) {
        int limit = query.limit() == null ? AppQuery.DEFAULT_LIMIT : query.limit();
        if (limit < 1 || limit > AppQuery.MAX_LIMIT) {
            throw Problem.badRequest("invalid_limit", "limit must be between 1 and " + AppQuery.MAX_LIMIT);
        }
        String phase = blankToNull(query.phase());
        String search = blankToNull(query.search());
        String term = search == null ? null : search.toLowerCase(Locale.ROOT);
        return apps.list(caller, blankToNull(query.cursor()), limit, a ->
                (phase == null || a.phase().equalsIgnoreCase(phase))
                        && (term == null || a.name().toLowerCase(Locale.ROOT).contains(term) || a.id().contains(term)));
    }

    public List<AppView.VersionView> versions(Caller caller, String id) {
        return apps.versions(caller, id);
    }

    public List<TemplateInfo> templates() {
        return templates;
    }

    public Me me(Caller caller) {
        return new Me(caller.subject(), caller.admin(), caller.roles(), deploys.ownedBy(caller.subject()),
                policy.maxAppsPerOwner());
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    public void delete(Caller caller, String id) {
        audited(caller, "delete", id, () -> {
            apps.delete(caller, id);
            return id;
        }, x -> id);
    }

    /** Makes an older version live again; {@code version} is required and at least 1. */
    public AppView rollback(Caller caller, String id, Integer version) {
        if (version == null || version < 1) {
            throw Problem.badRequest("invalid_version", "give the version to roll back to (a number from 1): {\"version\": N}");
        }
        return audited(caller, "rollback", id, () -> {
            apps.owned(caller, id);
            deployRate.acquire(caller.subject(), "deploys");
            return apps.rollback(caller, id, version);
        }, AppView::id);
    }

    /** Starts the active version again in a fresh sandbox (same source and env, a new version number). */
    public AppView redeploy(Caller caller, String id) {
        return audited(caller, "redeploy", id, () -> {
            apps.owned(caller, id);
            deployRate.acquire(caller.subject(), "deploys");
            return apps.redeploy(caller, id);
        }, AppView::id);
    }

    /** Replaces the app's env (a new version); values are never echoed back, only masked. */
    public AppView setEnv(Caller caller, String id, Map<String, String> env) {
        if (env == null) {
            throw Problem.badRequest("invalid_env", "give the new env as an object of names to values: {\"env\": {...}}");
        }
        return audited(caller, "set_env", id, () -> {
            apps.owned(caller, id);
            deployRate.acquire(caller.subject(), "deploys");
            return apps.setEnv(caller, id, env);
        }, AppView::id);
    }

    /** Sets some env entries and removes others, keeping the rest (a new version); values are never echoed back. */
    public AppView changeEnv(Caller caller, String id, Map<String, String> set, java.util.Set<String> unset) {
        Map<String, String> toSet = set == null ? Map.of() : set;
        java.util.Set<String> toUnset = unset == null ? java.util.Set.of() : unset;
        if (toSet.isEmpty() && toUnset.isEmpty()) {
            throw Problem.badRequest("invalid_env", "give env entries to set and/or names to unset: {\"set\": {...}, \"unset\": [...]}");
        }
        return audited(caller, "set_env", id, () -> {
            apps.owned(caller, id);
            deployRate.acquire(caller.subject(), "deploys");
            return apps.changeEnv(caller, id, toSet, toUnset);
        }, AppView::id);
    }

    public AppView suspend(Caller caller, String id) {
        return audited(caller, "suspend", id, () -> apps.suspend(caller, id), AppView::id);
    }

    public AppView resume(Caller caller, String id) {
        return audited(caller, "resume", id, () -> apps.resume(caller, id), AppView::id);
    }

    /** Sets the expiry to now + ttl ({@code "0"}: never, where allowed). */
    public AppView extendTtl(Caller caller, String id, String ttl) {
        return audited(caller, "extend_ttl", id, () -> apps.extend(caller, id, ttl), AppView::id);
    }

    // ---- logs and live state ---------------------------------------------------------------------------------

    /** The last {@code tail} lines (default {@value #DEFAULT_LOG_TAIL}) of the app's output. */
    public List<LogLine> logs(Caller caller, String id, Integer tail) {
        return apps.logs(caller, id, tail == null ? DEFAULT_LOG_TAIL : tail);
    }

    /**
     * A log follow, checked and holding one of the caller's log-stream slots until it ends: the tail first, or
     * with {@code afterSeq} every line after that one. Checks run before anything streams, so the front end can
     * still answer with an error.
     */
    public AppService.LogFollow followLogs(Caller caller, String id, Integer tail, Long afterSeq) {
        AppService.LogFollow follow = apps.followLogs(caller, id, tail == null ? DEFAULT_LOG_TAIL : tail, afterSeq);
        StreamSlots.Slot slot = logStreams.take(caller.subject());
        return sink -> {
            try (slot) {
                follow.run(sink);
            }
        };
    }

    /**
     * A live watch: first every app the caller may see (or the one app {@code appId}, which must be the caller's),
     * then each change, env masked, deletions included. Delivery is off the store's writer thread through a
     * mailbox that keeps the latest state per app, so a slow reader only delays itself. Close the result to stop.
     */
    public Subscription watch(Caller caller, String appId, Consumer<AppChange> sink) {
        if (appId != null) {
            apps.owned(caller, appId);
        }
        StreamSlots.Slot slot = watchStreams.take(caller.subject());
        return watches.subscribe(caller, appId, sink, slot::close);
    }

    // ---- audit -----------------------------------------------------------------------------------------------

    /** The audit log, oldest first, for admins only. */
    public AuditPage audit(Caller caller, String cursor, Integer limit) {
        if (!caller.admin()) {
            throw new Problem(Problem.Kind.FORBIDDEN, "forbidden", "only admins may read the audit log");
        }
        int n = limit == null ? AppQuery.DEFAULT_LIMIT : limit;
        if (n < 1 || n > AppQuery.MAX_LIMIT) {
            throw Problem.badRequest("invalid_limit", "limit must be between 1 and " + AppQuery.MAX_LIMIT);
        }
        long after;
        try {
            after = cursor == null || cursor.isBlank() ? 0 : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw Problem.badRequest("invalid_cursor", "cursor must be the next_cursor of a previous page");
        }
        List<AuditEntry> page = audit.page(after, n + 1);
        List<AuditEntry> entries = page.subList(0, Math.min(n, page.size()));
        String next = page.size() > n ? Long.toString(entries.getLast().seq()) : null;
        return new AuditPage(entries, next);
    }

    private <T> T audited(Caller caller, String action, String appId, Supplier<T> work, java.util.function.Function<T, String> idOf) {
        T result;
        try {
            result = work.get();
        } catch (Problem p) {
            record(caller, action, appId, p.code(), p.getMessage());
            throw p;
        } catch (RuntimeException e) {
            record(caller, action, appId, "error", e.getClass().getSimpleName());
            throw e;
        }
        String outcome = result instanceof DeployOutcome o ? switch (o.state()) {
            case SERVING -> "ok";
            case PENDING -> "accepted";
            case FAILED -> "deploy_failed";
        } : "ok";
        record(caller, action, idOf.apply(result), outcome, null);
        return result;
    }

    private void record(Caller caller, String action, String appId, String outcome, String detail) {
        audit.append(new AuditEntry(0, clock.instant(), caller.subject(), action, appId, outcome, detail));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public void close() {
        watches.close();
    }
}
