package dev.vibed.controller.watch;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppSpec;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppStore;
import dev.vibed.kube.cache.ObjectReads;
import dev.vibed.kube.model.VibedApp;
import dev.vibed.kube.store.KubeAppStore;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The controller's app store: core reads the app at the start of every pass, and a Ready app is passed over every
 * health interval, so with thousands of apps those reads would be most of the API server's load. They are answered
 * from java-operator-sdk's informer cache of VibedApps instead, but only when the cache has caught up with this
 * controller's own last status write of that app; otherwise (a pass right after a write, whose event has not
 * arrived yet) the app is read from the API server as before, so no pass ever builds on a status older than its
 * own. Spec changes are what wake a reconcile, and java-operator-sdk wakes it only once its cache holds them.
 * Writes go to the API server.
 */
public final class CachedAppStore implements AppStore {
    private final KubeAppStore store;
    private final ObjectReads<VibedApp> cache;
    /** The status this controller last wrote, per app: the cache is used only once it shows exactly that. */
    private final Map<String, AppStatus> written = new ConcurrentHashMap<>();

    /** @param cache java-operator-sdk's cache of VibedApps ({@code ClusterReads.apps()} of {@link AppWatches}) */
    public CachedAppStore(KubeAppStore store, ObjectReads<VibedApp> cache) {
        this.store = store;
        this.cache = cache;
    }

    @Override
    public Optional<App> get(String id) {
        Optional<App> cached = cache.get(id).map(store::toApp);
        AppStatus mine = written.get(id);
        if (cached.isPresent() && (mine == null || mine.equals(cached.get().status()))) {
            return cached;
        }
        Optional<App> fresh = store.get(id);
        fresh.ifPresentOrElse(a -> written.put(id, a.status()), () -> written.remove(id));
        return fresh;
    }

    @Override
    public App updateStatus(String id, UnaryOperator<AppStatus> change) {
        App updated = store.updateStatus(id, change);
        written.put(id, updated.status());
        return updated;
    }

    @Override
    public void remove(String id) {
        store.remove(id);
        written.remove(id);
    }

    @Override
    public App create(App app) {
        return store.create(app);
    }

    @Override
    public List<App> list() {
        return store.list();
    }

    @Override
    public App updateSpec(String id, UnaryOperator<AppSpec> change) {
        return store.updateSpec(id, change);
    }

    @Override
    public void requestDelete(String id) {
        store.requestDelete(id);
    }

    @Override
    public AutoCloseable watch(Consumer<AppEvent> listener) {
        return store.watch(listener);
    }
}
