package dev.vibed.core.deploy;

import dev.vibed.core.json.JsonBinding;
import dev.vibed.core.json.TextOrNumber;
import dev.vibed.core.problem.Problem;
import jakarta.json.JsonValue;

import java.util.Map;

/**
 * The metadata of a deploy: {@code name} (optional slug; the same name by the same owner redeploys that app),
 * {@code env}, {@code ttl}. Parsed from the REST {@code metadata} part or built by other front ends.
 */
public record DeployRequest(String name, Map<String, String> env, String ttl, boolean keepEnv) {
    public DeployRequest {
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    /** A deploy whose env replaces the app's env (the default). */
    public DeployRequest(String name, Map<String, String> env, String ttl) {
        this(name, env, ttl, false);
    }

    public static DeployRequest empty() {
        return new DeployRequest(null, Map.of(), null);
    }

    /** The {@code metadata} part as sent: {@code runtime} is accepted and reserved (the classifier decides today). */
    public record Metadata(String name, Map<String, String> env, JsonValue ttl, JsonValue runtime, Boolean keepEnv) {
    }

    public static DeployRequest fromJson(String text) {
        try {
            Metadata m = JsonBinding.snakeCase().fromJson(text, Metadata.class);
            return new DeployRequest(m.name(), m.env(), TextOrNumber.read(m.ttl(), "ttl"),
                    Boolean.TRUE.equals(m.keepEnv()));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("invalid_metadata", "metadata: " + e.getMessage() + " (known fields: name, env, ttl, keep_env)");
        }
    }

    @Override
    public String toString() {
        return "DeployRequest[name=" + name + ", envKeys=" + env.keySet() + ", ttl=" + ttl + ", keepEnv=" + keepEnv + "]";
    }
}
