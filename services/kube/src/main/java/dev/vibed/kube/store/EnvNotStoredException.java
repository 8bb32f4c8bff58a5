package dev.vibed.kube.store;

/**
 * An app's spec names an env key its Secret does not hold. The API writes the Secret before the spec that names its
 * keys (before the app itself on a create), so this means the Secret was changed by hand: injecting a wrong env
 * silently would be worse than failing the pass.
 */
public final class EnvNotStoredException extends IllegalStateException {
    public EnvNotStoredException(String message) {
        super(message);
    }
}
