package dev.vibed.core.app;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An {@link AppStore} held in memory, for one process that owns its apps (standalone, tests). Every change is
 * handed to a {@link Persistence} before it becomes visible, so a store on disk is this plus a persistence.
 * Writes to one app are serialised; writes to different apps are not (a persistence writes one file per app, and a
 * burst of deploys would otherwise queue every save behind one lock). Watchers are called after the change, outside
 * the lock.
 */
public class MemoryAppStore implements AppStore {
    private static final Logger LOG = Logger.getLogger(MemoryAppStore.class.getName());

    /** Where changes go before they are visible; an exception aborts the change. */
    public interface Persistence {
        void save(App app);

        void delete(String id);

        Persistence NONE = new Persistence() {
            @Override
            public void save(App app) {
            }

            @Override
            public void delete(String id) {
            }
        };
    }

    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final List<Consumer<AppEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Persistence persistence;
    /** Striped by app id: a write holds its app's stripe while it persists, never the whole store. */
    private final Object[] writeLocks = new Object[64];

    public MemoryAppStore(Persistence persistence, Collection<App> initial) {
        this.persistence = persistence;
        for (int i = 0; i < writeLocks.length; i++) {
            writeLocks[i] = new Object();
        }
        initial.forEach(a -> apps.put(a.id(), a));
    }

    public MemoryAppStore() {
        this(Persistence.NONE, List.of());
    }

    @Override
    public App create(App app) {
        synchronized (lockOf(app.id())) {
            if (apps.containsKey(app.id())) {
                throw new AppAlreadyExistsException(app.id());
            }
            persistence.save(app);
            apps.put(app.id(), app);
        }
        notify(app, false);
        return app;
    }

    @Override
    public Optional<App> get(String id) {
        return Optional.ofNullable(apps.get(id));
    }

    @Override
    public List<App> list() {
        return apps.values().stream().sorted(Comparator.comparing(App::id)).toList();
    }

    @Override
    public App updateSpec(String id, UnaryOperator<AppSpec> change) {
        return update(id, app -> app.withSpec(change.apply(app.spec())));
    }

    @Override
    public App updateStatus(String id, UnaryOperator<AppStatus> change) {
        return update(id, app -> app.withStatus(change.apply(app.status())));
    }

    @Override
    public void requestDelete(String id) {
        update(id, App::markDeleting);
    }

    @Override
    public void remove(String id) {
        App removed;
        synchronized (lockOf(id)) {
            persistence.delete(id);
            removed = apps.remove(id);
        }
        if (removed != null) {
            notify(removed, true);
        }
    }

    @Override
    public AutoCloseable watch(Consumer<AppEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private App update(String id, UnaryOperator<App> change) {
        App updated;
        synchronized (lockOf(id)) {
            App current = apps.get(id);
            if (current == null) {
                throw new AppNotFoundException(id);
            }
            updated = change.apply(current);
            persistence.save(updated);
            apps.put(id, updated);
        }
        notify(updated, false);
        return updated;
    }

    private Object lockOf(String id) {
        return writeLocks[Math.floorMod(id.hashCode(), writeLocks.length)];
    }

    private void notify(App app, boolean removed) {
        AppEvent event = new AppEvent(app, removed);
        for (Consumer<AppEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "app watcher failed", e);
            }
        }
    }
}
