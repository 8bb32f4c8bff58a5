package dev.vibed.kube.store;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppStore.AppEvent;
import dev.vibed.kube.model.VibedApp;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One informer on VibedApps shared by every {@code watch} caller: a deploy that waits for its app adds a listener
 * for a few seconds instead of opening its own LIST+WATCH. The informer starts with the first listener and
 * reconnects by itself after a dropped watch.
 */
final class AppWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AppWatch.class.getName());

    private final NonNamespaceOperation<VibedApp, KubernetesResourceList<VibedApp>, Resource<VibedApp>> apps;
    private final Function<VibedApp, App> toApp;
    private final List<Consumer<AppEvent>> listeners = new CopyOnWriteArrayList<>();
    /** A lock, not synchronized: callers are Helidon's virtual threads, and starting the informer blocks on a LIST. */
    private final ReentrantLock lock = new ReentrantLock();
    private SharedIndexInformer<VibedApp> informer;

    /** @param toApp the store's reading of a VibedApp (env values unknown) */
    AppWatch(NonNamespaceOperation<VibedApp, KubernetesResourceList<VibedApp>, Resource<VibedApp>> apps,
             Function<VibedApp, App> toApp) {
        this.apps = apps;
        this.toApp = toApp;
    }

    AutoCloseable add(Consumer<AppEvent> listener) {
        listeners.add(listener);
        ensureStarted();
        return () -> listeners.remove(listener);
    }

    private void ensureStarted() {
        lock.lock();
        try {
            if (informer != null) {
                return;
            }
            informer = apps.inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(VibedApp app) {
                    fire(app, false);
                }

                @Override
                public void onUpdate(VibedApp before, VibedApp after) {
                    fire(after, false);
                }

                @Override
                public void onDelete(VibedApp app, boolean finalStateUnknown) {
                    fire(app, true);
                }
            });
        } finally {
            lock.unlock();
        }
    }

    private void fire(VibedApp resource, boolean removed) {
        AppEvent event;
        try {
            event = new AppEvent(toApp.apply(resource), removed);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "ignoring unreadable VibedApp " + resource.getMetadata().getName() + ": " + e.getMessage());
            return;
        }
        for (Consumer<AppEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "app watch listener failed", e);
            }
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            listeners.clear();
            if (informer != null) {
                informer.close();
                informer = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
