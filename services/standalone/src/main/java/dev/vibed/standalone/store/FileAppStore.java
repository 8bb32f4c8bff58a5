package dev.vibed.standalone.store;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppSpec;
import dev.vibed.core.app.AppStatus;
import dev.vibed.core.app.AppStore;
import dev.vibed.core.json.Jsons;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
 * Standalone {@link AppStore}: one JSON file per app under {@code <data>/apps}, written atomically (temp file +
 * rename), with an in-memory copy for reads. One process owns the directory, so a lock per store is enough.
 * Files are private to the user (they hold env values).
 */
public final class FileAppStore implements AppStore {
    private static final Logger LOG = Logger.getLogger(FileAppStore.class.getName());

    private final Path dir;
    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final List<Consumer<AppEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Object writeLock = new Object();

    public FileAppStore(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String file = p.getFileName().toString();
                if (file.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                } else if (file.endsWith(".json")) {
                    load(p);
                }
            }
        }
    }

    private void load(Path p) {
        try {
            App app = AppCodec.decode(Jsons.parseObject(Files.readString(p)));
            apps.put(app.id(), app);
        } catch (IOException | RuntimeException e) {
            // A damaged file must not stop the platform; it is kept aside for a human to look at.
            LOG.log(Level.WARNING, "ignoring unreadable app file " + p.getFileName() + ": " + e.getMessage());
        }
    }

    @Override
    public App create(App app) {
        synchronized (writeLock) {
            if (apps.containsKey(app.id())) {
                throw new AppAlreadyExistsException(app.id());
            }
            persist(app);
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
        synchronized (writeLock) {
            removed = apps.remove(id);
            try {
                Files.deleteIfExists(file(id));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
        synchronized (writeLock) {
            App current = apps.get(id);
            if (current == null) {
                throw new AppNotFoundException(id);
            }
            updated = change.apply(current);
            persist(updated);
        }
        notify(updated, false);
        return updated;
    }

    private void persist(App app) {
        try {
            Path tmp = dir.resolve(app.id() + ".json.tmp");
            Files.writeString(tmp, AppCodec.encode(app).toString(), StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // non-POSIX file system: nothing stronger to do
            }
            try {
                Files.move(tmp, file(app.id()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(app.id()), StandardCopyOption.REPLACE_EXISTING);
            }
            apps.put(app.id(), app);
        } catch (IOException e) {
            throw new UncheckedIOException("saving app " + app.id() + " failed", e);
        }
    }

    private Path file(String id) {
        return dir.resolve(id + ".json");
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
