package dev.vibed.core.lifecycle;

import dev.vibed.core.app.App;
import dev.vibed.core.app.AppVersion;
import dev.vibed.core.app.Condition;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The read model every front end renders: env is already masked here, so no front end can leak a value.
 */
public record AppView(String id, String name, String owner, String phase, String url, String lane, String template,
                      String rule, int activeVersion, int servingVersion, Instant createdAt, Instant lastDeployedAt,
                      Instant expiresAt, boolean suspended, int restarts, String message, String lastCrashLog,
                      Map<String, String> env, long generation, long observedGeneration, List<Condition> conditions,
                      int failedVersion) {

    public static AppView of(App app) {
        AppVersion active = app.spec().active();
        var s = app.status();
        return new AppView(app.id(), app.spec().name(), app.spec().owner(),
                app.deleting() ? "Deleting" : s.phase().wire(), s.url(), active.lane(), active.template(), active.rule(),
                app.spec().activeVersion(), s.servingVersion(), app.createdAt(), s.lastDeployedAt(),
                app.spec().expiresAt(), app.spec().suspended(), s.restarts(), s.message(), s.lastCrashLog(),
                EnvRules.masked(active.env()), app.generation(), s.observedGeneration(), s.conditions(),
                s.failedVersion());
    }

    /** One line of an app's history. */
    public record VersionView(int version, Instant createdAt, String sourceSha256, long sizeBytes, String template,
                              String rule, String outcome, boolean active) {
    }

    public static List<VersionView> versions(App app) {
        return app.spec().versions().stream()
                .sorted((a, b) -> Integer.compare(b.version(), a.version()))
                .map(v -> new VersionView(v.version(), v.createdAt(), v.source().sha256(), v.source().sizeBytes(),
                        v.template(), v.rule(), app.status().outcomes().getOrDefault(v.version(),
                        v.version() == app.spec().activeVersion() ? "pending" : "inactive"),
                        v.version() == app.spec().activeVersion()))
                .toList();
    }
}
