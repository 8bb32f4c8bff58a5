package dev.vibed.core.watch;

import dev.vibed.core.access.Caller;
import dev.vibed.core.app.App;
import dev.vibed.core.app.AppStore;
import dev.vibed.core.lifecycle.AppView;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fans the store's one watch out to every live subscriber (GraphQL subscriptions, SSE status, the dashboard, the
 * CLI). The store's writer thread only drops the new state into each subscriber's mailbox, which keeps the latest
 * state per app; each subscriber is served by its own virtual thread. So a slow reader coalesces its own backlog and
 * never delays a write or another reader. The same behaviour holds on every store, because it is built here once.
 */
public final class AppWatchHub implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AppWatchHub.class.getName());

    private final AppStore store;
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private final AutoCloseable storeWatch;

    public AppWatchHub(AppStore store) {
        this.store = store;
        this.storeWatch = store.watch(this::onEvent);
    }

    /**
     * Starts a watch for {@code caller}: first every app it may see (or the one app when {@code appId} is given), then
     * each change. Calls to {@code sink} come from one thread per subscription, in order per app. A sink that throws
     * ends its subscription. {@code onClose} runs once when the subscription ends, however it ends.
     */
    public Subscription subscribe(Caller caller, String appId, Consumer<AppChange> sink, Runnable onClose) {
        Subscription s = new Subscription(caller, appId, sink, sub -> {
            subscribers.remove(sub);
            onClose.run();
        });
        // Register before the snapshot: a change made while the snapshot is read is then delivered after it, never
        // lost. The mailbox keeps the latest per app, so an app seen twice is simply delivered in its newest state.
        subscribers.add(s);
        for (App app : store.list()) {
            if (s.admits(app) && !app.deleting()) {
                s.offer(app.id(), AppChange.updated(AppView.of(app), true));
            }
        }
        s.start();
        return s;
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    private void onEvent(AppStore.AppEvent event) {
        App app = event.app();
        AppChange change = event.removed() ? AppChange.removed(app.id()) : AppChange.updated(AppView.of(app), false);
        for (Subscription s : subscribers) {
            if (s.admits(app)) {
                s.offer(app.id(), change);
            }
        }
    }

    @Override
    public void close() {
        try {
            storeWatch.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "closing the store watch failed", e);
        }
        subscribers.forEach(Subscription::close);
    }
}
