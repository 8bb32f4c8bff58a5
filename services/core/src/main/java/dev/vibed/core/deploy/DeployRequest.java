package dev.vibed.core.deploy;

import dev.vibed.core.json.Jsons;
import dev.vibed.core.problem.Problem;
import jakarta.json.JsonObject;

import java.util.Map;
import java.util.Set;

/**
 * The metadata of a deploy: {@code name} (optional slug; the same name by the same owner redeploys that app),
 * {@code env}, {@code ttl}. Parsed from the REST {@code metadata} part or built by other front ends.
 */
public record DeployRequest(String name, Map<String, String> env, String ttl, boolean keepEnv) {
    private static final Set<String> KNOWN = Set.of("name", "env", "ttl", "runtime", "keep_env");

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

    public static DeployRequest fromJson(String text) {
        try {
            JsonObject o = Jsons.parseObject(text);
            for (String key : o.keySet()) {
                if (!KNOWN.contains(key)) {
                    throw new IllegalArgumentException("unknown field '" + key + "' (known: name, env, ttl, keep_env)");
                }
            }
            return new DeployRequest(Jsons.string(o, "name").orElse(null), Jsons.stringMap(o, "env"),
                    Jsons.stringOrNumber(o, "ttl").orElse(null), Jsons.bool(o, "keep_env", false));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("invalid_metadata", "metadata: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "DeployRequest[name=" + name + ", envKeys=" + env.keySet() + ", ttl=" + ttl + ", keepEnv=" + keepEnv + "]";
    }
}
