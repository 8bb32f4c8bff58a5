package dev.vibed.core.watch;

import dev.vibed.core.lifecycle.AppView;

/**
 * One thing a watcher learns about an app: its state as the watcher may see it (env masked), or that it is gone.
 * {@code snapshot} marks the changes that replay the apps that existed when the watch started.
 */
public record AppChange(String appId, AppView app, boolean removed, boolean snapshot) {

    public static AppChange updated(AppView app, boolean snapshot) {
        return new AppChange(app.id(), app, false, snapshot);
    }

    public static AppChange removed(String appId) {
        return new AppChange(appId, null, true, false);
    }
}
