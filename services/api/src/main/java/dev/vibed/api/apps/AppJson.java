package dev.vibed.api.apps;

import dev.vibed.core.app.Condition;
import dev.vibed.core.lifecycle.AppView;
import dev.vibed.core.json.Jsons;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.time.Instant;

/** REST rendering of the core read model (snake_case, as the rest of /v1). */
public final class AppJson {
    private AppJson() {
    }

    public static String statusUrl(String appId) {
        return "/v1/apps/" + appId;
    }

    public static JsonObject app(AppView a) {
        JsonObjectBuilder b = Jsons.builder()
                .add("app_id", a.id())
                .add("name", a.name())
                .add("owner", a.owner())
                .add("phase", a.phase())
                .add("status_url", statusUrl(a.id()))
                .add("lane", a.lane())
                .add("template", a.template())
                .add("rule", a.rule())
                .add("active_version", a.activeVersion())
                .add("serving_version", a.servingVersion())
                .add("suspended", a.suspended())
                .add("restarts", a.restarts())
                .add("generation", a.generation())
                .add("observed_generation", a.observedGeneration())
                .add("env", Jsons.object(a.env()));
        if (a.failedVersion() > 0) {
            b.add("failed_version", a.failedVersion());
        }
        Jsons.addIfPresent(b, "url", a.url());
        time(b, "created_at", a.createdAt());
        time(b, "last_deployed_at", a.lastDeployedAt());
        time(b, "expires_at", a.expiresAt());
        Jsons.addIfPresent(b, "message", a.message());
        Jsons.addIfPresent(b, "last_crash_log", a.lastCrashLog());
        var conditions = Jsons.arrayBuilder();
        for (Condition c : a.conditions()) {
            JsonObjectBuilder cb = Jsons.builder().add("type", c.type()).add("status", c.status())
                    .add("observed_generation", c.observedGeneration());
            Jsons.addIfPresent(cb, "reason", c.reason());
            Jsons.addIfPresent(cb, "message", c.message());
            time(cb, "last_transition_time", c.lastTransitionTime());
            conditions.add(cb);
        }
        b.add("conditions", conditions);
        return b.build();
    }

    public static JsonObject version(AppView.VersionView v) {
        JsonObjectBuilder b = Jsons.builder()
                .add("version", v.version())
                .add("source_sha256", v.sourceSha256())
                .add("size_bytes", v.sizeBytes())
                .add("template", v.template())
                .add("rule", v.rule())
                .add("outcome", v.outcome())
                .add("active", v.active());
        time(b, "created_at", v.createdAt());
        return b.build();
    }

    private static void time(JsonObjectBuilder b, String key, Instant t) {
        if (t != null) {
            b.add(key, t.toString());
        }
    }
}
