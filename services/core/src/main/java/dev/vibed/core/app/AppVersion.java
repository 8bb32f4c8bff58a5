package dev.vibed.core.app;

import java.time.Instant;
import java.util.Map;

/**
 * One deploy of an app: immutable. Rollback makes an older one active again; a change of env records a new one
 * (same source, new env), so every running sandbox corresponds to exactly one version.
 */
public record AppVersion(int version, Instant createdAt, SourceRef source, String lane, String template, String rule,
                         String root, Map<String, String> env) {

    public AppVersion {
        env = env == null ? Map.of() : Map.copyOf(env);
        root = root == null ? "" : root;
    }

    public AppVersion withEnv(int newVersion, Instant at, Map<String, String> newEnv) {
        return new AppVersion(newVersion, at, source, lane, template, rule, root, newEnv);
    }

    /** Env values are secrets: never print them. */
    @Override
    public String toString() {
        return "AppVersion[" + version + ", " + template + "/" + rule + ", sha256=" + source.sha256() + ", envKeys=" + env.keySet() + "]";
    }
}
