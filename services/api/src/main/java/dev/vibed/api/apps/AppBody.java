package dev.vibed.api.apps;

import dev.vibed.core.app.Condition;
import dev.vibed.core.lifecycle.AppView;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An app as REST shows it (snake_case through JSON-B, as the rest of /v1); env values arrive masked from the core.
 * {@code failed_version} appears only while the active version's rollout has failed.
 */
public record AppBody(String appId, String name, String owner, String phase, String url, String statusUrl, String lane,
                      String template, String rule, int activeVersion, int servingVersion, boolean suspended, int restarts,
                      long generation, long observedGeneration, Map<String, String> env, Instant createdAt,
                      Instant lastDeployedAt, Instant expiresAt, String message, String lastCrashLog,
                      List<ConditionBody> conditions, Integer failedVersion) {

    public static String statusUrl(String appId) {
        return "/v1/apps/" + appId;
    }

    public static AppBody of(AppView a) {
        return new AppBody(a.id(), a.name(), a.owner(), a.phase(), a.url(), statusUrl(a.id()), a.lane(), a.template(),
                a.rule(), a.activeVersion(), a.servingVersion(), a.suspended(), a.restarts(), a.generation(),
                a.observedGeneration(), a.env(), a.createdAt(), a.lastDeployedAt(), a.expiresAt(), a.message(),
                a.lastCrashLog(), a.conditions().stream().map(ConditionBody::of).toList(),
                a.failedVersion() > 0 ? a.failedVersion() : null);
    }

    /** A status condition, in the Kubernetes shape. */
    public record ConditionBody(String type, String status, String reason, String message, long observedGeneration,
                                Instant lastTransitionTime) {
        static ConditionBody of(Condition c) {
            return new ConditionBody(c.type(), c.status(), c.reason(), c.message(), c.observedGeneration(),
                    c.lastTransitionTime());
        }
    }

    /** One line of an app's history. */
    public record VersionBody(int version, Instant createdAt, String sourceSha256, long sizeBytes, String template,
                              String rule, String outcome, boolean active) {
        public static VersionBody of(AppView.VersionView v) {
            return new VersionBody(v.version(), v.createdAt(), v.sourceSha256(), v.sizeBytes(), v.template(), v.rule(),
                    v.outcome(), v.active());
        }
    }
}
