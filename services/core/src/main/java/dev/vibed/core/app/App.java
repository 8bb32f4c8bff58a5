package dev.vibed.core.app;

import java.time.Instant;

/**
 * An app as stored. {@code generation} counts spec changes; {@code deleting} is the finalizer state: the app
 * stays until the reconciler has released its sandboxes and route, then it is removed.
 */
public record App(String id, long generation, Instant createdAt, AppSpec spec, AppStatus status, boolean deleting) {

    public App withSpec(AppSpec newSpec) {
        return new App(id, generation + 1, createdAt, newSpec, status, deleting);
    }

    public App withStatus(AppStatus newStatus) {
        return new App(id, generation, createdAt, spec, newStatus, deleting);
    }

    public App markDeleting() {
        return new App(id, generation, createdAt, spec, status, true);
    }
}
