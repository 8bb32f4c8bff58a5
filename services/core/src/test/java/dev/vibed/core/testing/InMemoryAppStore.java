package dev.vibed.core.testing;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppSpec;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppStore;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** An {@link AppStore} in memory with the same semantics as the real ones, for unit tests of core logic. */
public final class InMemoryAppStore implements AppStore {
    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final List<Consumer<AppEvent>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public synchronized App create(App app) {
        if (apps.putIfAbsent(app.id(), app) != null) {
            throw new AppAlreadyExistsException(app.id());
        }
        fire(app, false);
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
        return update(id, a -> a.withSpec(change.apply(a.spec())));
    }

    @Override
    public App updateStatus(String id, UnaryOperator<AppStatus> change) {
        return update(id, a -> a.withStatus(change.apply(a.status())));
    }

    @Override
    public void requestDelete(String id) {
        update(id, App::markDeleting);
    }

    @Override
    public void remove(String id) {
        App gone = apps.remove(id);
        if (gone != null) {
            fire(gone, true);
        }
    }

    @Override
    public AutoCloseable watch(Consumer<AppEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private synchronized App update(String id, UnaryOperator<App> change) {
        App current = apps.get(id);
        if (current == null) {
            throw new AppNotFoundException(id);
        }
        App next = change.apply(current);
        apps.put(id, next);
        fire(next, false);
        return next;
    }

    private void fire(App app, boolean removed) {
        listeners.forEach(l -> l.accept(new AppEvent(app, removed)));
    }
}
