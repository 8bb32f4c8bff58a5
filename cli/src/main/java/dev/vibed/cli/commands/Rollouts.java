package dev.vibed.cli.commands;

import dev.vibed.cli.CliError;
import dev.vibed.cli.http.ApiClient;
import dev.vibed.cli.term.StatusLine;
import dev.vibed.cli.term.Terminal;
import jakarta.json.JsonObject;

import java.time.Duration;

/**
 * Waiting for a version to serve (after a deploy answered 202, a rollback, an env change, a resume) on the live
 * status, and the failure report when it cannot start: the server's reason plus the crash or install log tail.
 */
final class Rollouts {
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private Rollouts() {
    }

    /** Version {@code version} of the app serves. */
    static boolean serving(JsonObject app, int version) {
        return "Ready".equals(app.getString("phase", "")) && Apps.integer(app, "active_version") == version
                && Apps.integer(app, "serving_version") == version;
    }

    /** Version {@code version} could not start (its rollout was observed and failed). */
    static boolean failed(JsonObject app, int version) {
        boolean observed = app.getJsonNumber("observed_generation") != null && app.getJsonNumber("generation") != null
                && app.getJsonNumber("observed_generation").longValue() >= app.getJsonNumber("generation").longValue();
        return (Apps.integer(app, "failed_version") == version && observed)
                || ("Failed".equals(app.getString("phase", "")) && Apps.integer(app, "active_version") == version);
    }

    /** Waits on a watch already open until {@code version} of app {@code appId} serves; throws when it fails. */
    static JsonObject await(LiveWatch watch, StatusLine line, String appId, int version, Duration timeout) {
        watch.show(a -> appId.equals(a.getString("app_id", "")));
        try {
            JsonObject app = watch.await(a -> appId.equals(a.getString("app_id", ""))
                    && (serving(a, version) || failed(a, version)), timeout);
            if (!serving(app, version)) {
                throw deployFailed(app.getString("name", appId), version, app.getString("message", null),
                        app.getString("last_crash_log", null));
            }
            return app;
        } finally {
            line.end();
        }
    }

    /** Opens the watch on one app and waits for {@code app}'s active version to serve. */
    static JsonObject untilServing(ApiClient api, JsonObject app, Terminal term, Duration timeout) {
        StatusLine line = term.statusLine();
        try (LiveWatch watch = LiveWatch.open(api, Apps.id(app), line)) {
            return await(watch, line, Apps.id(app), Apps.integer(app, "active_version"), timeout);
        }
    }

    static CliError deployFailed(String name, int version, String message, String crashLog) {
        String detail = crashLog == null || crashLog.isBlank() ? null
                : "--- the app's last output ---\n" + crashLog.stripTrailing();
        return new CliError(CliError.FAILED, "deploy failed: " + name + " version " + version + " did not start: "
                + (message == null ? "no reason given" : message)
                + "; fix it and deploy again (see `vibed logs " + name + "`)", detail);
    }
}
