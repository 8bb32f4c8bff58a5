package dev.vibed.core.route;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppIds;
import dev.vibed.core.deploy.DeployStage;
import dev.vibed.core.deploy.DeployTimeline;
import dev.vibed.core.app.AppStore;
import dev.vibed.core.app.Phase;
import dev.vibed.core.app.PublicUrls;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a {@link RouteTable} equal to what the apps' status says. Used by the standalone process (embedded proxy)
 * and by vibed-router (Caddy). Level-triggered: each event is applied at once, and a periodic resync compares the
 * whole table with the apps, which also restores routes a restarted proxy forgot.
 */
public final class RouteSync implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RouteSync.class.getName());
    public static final String ROUTE_PREFIX = "vibed-app-";

    private final AppStore store;
    private final RouteTable table;
    private final PublicUrls urls;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "route-sync");
        t.setDaemon(true);
        return t;
    });
    private AutoCloseable watch;
    private final AtomicLong resyncs = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /** Counters for metrics: full resyncs run, route writes made (upserts and removals), failed attempts. */
    public record Stats(long resyncs, long updates, long failures) {
    }

    public Stats stats() {
        return new Stats(resyncs.get(), updates.get(), failures.get());
    }

    private final DeployTimeline timeline;

    public RouteSync(AppStore store, RouteTable table, PublicUrls urls) {
        this(store, table, urls, DeployTimeline.none());
    }

    public RouteSync(AppStore store, RouteTable table, PublicUrls urls, DeployTimeline timeline) {
        this.timeline = timeline;
        this.store = store;
        this.table = table;
        this.urls = urls;
    }

    /** The route an app should have now, if any. */
    public static Optional<Route> desired(App app, PublicUrls urls) {
        String id = AppIds.serviceName(app.id());
        if (app.deleting()) {
            return Optional.empty();
        }
        if (app.spec().suspended()) {
            return Optional.of(new Route(id, urls.host(app.id()), null, Route.Kind.SUSPENDED));
        }
        if (app.status().routeTarget() != null && app.status().servingVersion() > 0) {
            return Optional.of(new Route(id, urls.host(app.id()), app.status().routeTarget(), Route.Kind.PROXY));
        }
        // Nothing serves yet, or any more: the URL says which, rather than "no such app".
        return Optional.of(new Route(id, urls.host(app.id()), null,
                app.status().phase() == Phase.FAILED ? Route.Kind.FAILED : Route.Kind.STARTING));
    }

    public void start(long resyncSeconds) {
        watch = store.watch(event -> worker.execute(() -> apply(event.app(), event.removed())));
        worker.scheduleWithFixedDelay(this::resyncQuietly, 0, resyncSeconds, TimeUnit.SECONDS);
    }

    /** Applies one app's desired route to the table. */
    public void apply(App app, boolean removed) {
        String id = AppIds.serviceName(app.id());
        try {
            Optional<Route> want = removed ? Optional.empty() : desired(app, urls);
            if (want.isPresent()) {
                if (want.get().kind() == Route.Kind.PROXY) {
                    // Marked as the route is written, not after: the write can wake the deploy's waiter, which then
                    // marks the next stage (confirm) at once, and a route mark after it would record nothing.
                    timeline.mark(AppIds.claimKey(app.id(), app.status().servingVersion()), DeployStage.ROUTE);
                }
                table.upsert(want.get());
            } else {
                table.remove(id);
            }
            updates.incrementAndGet();
        } catch (RouteTable.RouteException e) {
            failures.incrementAndGet();
            LOG.log(Level.WARNING, "route update for " + id + " failed; the next resync retries: " + e.getMessage());
        }
    }

    /** Makes the whole table equal to the apps' desired routes. Returns the number of changes made. */
    public int resync() throws RouteTable.RouteException {
        Map<String, Route> want = new HashMap<>();
        for (App app : store.list()) {
            desired(app, urls).ifPresent(r -> want.put(r.id(), r));
        }
        Map<String, Route> have = table.routes();
        int changes = 0;
        for (Route r : want.values()) {
            if (!Objects.equals(have.get(r.id()), r)) {
                table.upsert(r);
                changes++;
            }
        }
        for (String id : have.keySet()) {
            if (id.startsWith(ROUTE_PREFIX) && !want.containsKey(id)) {
                table.remove(id);
                changes++;
            }
        }
        resyncs.incrementAndGet();
        updates.addAndGet(changes);
        return changes;
    }

    /** Runs on the sync thread; use from other threads instead of {@link #resync()}. */
    public void requestResync() {
        worker.execute(this::resyncQuietly);
    }

    private void resyncQuietly() {
        try {
            int changes = resync();
            if (changes > 0) {
                LOG.info("route resync made " + changes + " change(s)");
            }
        } catch (RuntimeException | RouteTable.RouteException e) {
            failures.incrementAndGet();
            LOG.log(Level.WARNING, "route resync failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            if (watch != null) {
                watch.close();
            }
        } catch (Exception ignored) {
            // closing a watch cannot fail in a way worth reporting at shutdown
        }
        worker.shutdownNow();
    }
}
