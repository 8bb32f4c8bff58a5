package dev.vibed.kube.store;

/**
 * An app's spec names an env key its Secret does not hold (yet). The API writes that Secret just after the app (it
 * is owned by the app, so it needs the app's uid), so a reader right after a create can see the app first.
 */
public final class EnvNotStoredException extends IllegalStateException {
    public EnvNotStoredException(String message) {
        super(message);
    }
}
