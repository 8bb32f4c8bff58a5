package dev.vibed.core.deploy;

import dev.vibed.core.app.App;

/**
 * Port: does the app's public URL serve its current version right now? Ready in the status is not enough: the
 * router may not have applied the route yet, and a 200 that then 404s is a bug.
 */
public interface ServingProbe {
    boolean serves(App app);

    /**
     * Calls {@code changed} whenever the answer of {@link #serves} for {@code app} may have changed (its route was
     * written), until the returned handle is closed, so a waiter can look again at once instead of at its next poll.
     * A probe that cannot tell returns a handle that calls nothing; its waiters keep polling.
     */
    default AutoCloseable watch(App app, Runnable changed) {
        return () -> {
        };
    }
}
