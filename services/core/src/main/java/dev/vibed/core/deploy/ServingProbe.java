package dev.vibed.core.deploy;

import dev.vibed.core.app.App;

/**
 * Port: does the app's public URL serve its current version right now? Ready in the status is not enough: the
 * router may not have applied the route yet, and a 200 that then 404s is a bug.
 */
public interface ServingProbe {
    boolean serves(App app);

    /**
     * Calls {@code change} whenever {@link #serves} may answer otherwise (a route was applied), so that a waiter
     * learns it on the event. Empty when the probe cannot tell: the waiter then re-checks shortly.
     */
    default java.util.Optional<AutoCloseable> onChange(Runnable change) {
        return java.util.Optional.empty();
    }
}
