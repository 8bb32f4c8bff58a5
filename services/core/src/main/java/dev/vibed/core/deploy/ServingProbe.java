package dev.vibed.core.deploy;

import dev.vibed.core.app.App;

/**
 * Port: does the app's public URL serve its current version right now? Ready in the status is not enough: the
 * router may not have applied the route yet, and a 200 that then 404s is a bug.
 */
public interface ServingProbe {
    boolean serves(App app);
}
