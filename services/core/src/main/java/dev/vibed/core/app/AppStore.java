package dev.vibed.core.app;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Port: where apps live. Kubernetes: VibedApp resources. Standalone: files on disk. Updates are
 * read-modify-write with a retry on conflict inside the adapter, so callers pass a function, not a value.
 */
public interface AppStore {

    /** @throws AppAlreadyExistsException when the id is taken */
    App create(App app);

    Optional<App> get(String id);

    List<App> list();

    /** Changes the spec and bumps the generation. @throws AppNotFoundException */
    App updateSpec(String id, UnaryOperator<AppSpec> change);

    /** Changes the status only (the status subresource). @throws AppNotFoundException */
    App updateStatus(String id, UnaryOperator<AppStatus> change);

    /** Starts deletion: the app stays, marked deleting, until {@link #remove} (the finalizer). */
    void requestDelete(String id);

    /** Removes the app for good; called by the reconciler once its resources are released. */
    void remove(String id);

    /**
     * Calls the listener for every change (the app after the change), and with {@link AppEvent#removed} apps.
     * Returns a handle that stops the watch.
     */
    AutoCloseable watch(Consumer<AppEvent> listener);

    record AppEvent(App app, boolean removed) {
    }

    class AppNotFoundException extends RuntimeException {
        public AppNotFoundException(String id) {
            super("app " + id + " not found");
        }
    }

    class AppAlreadyExistsException extends RuntimeException {
        public AppAlreadyExistsException(String id) {
            super("app " + id + " already exists");
        }
    }
}
