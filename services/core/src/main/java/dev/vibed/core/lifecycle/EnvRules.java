package dev.vibed.core.lifecycle;

import dev.vibed.core.problem.Problem;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Validation and masking of user env. Values are secrets: reads show only that a key is set. */
public final class EnvRules {
    private static final Pattern KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,127}$");
    /** Set by the platform; a user value would break the contract with the agent. */
    private static final Set<String> RESERVED = Set.of("PORT", "HOST", "HOME", "PATH");
    public static final String MASK = "********";

    private EnvRules() {
    }

    public static Map<String, String> validate(Map<String, String> env, AppPolicy policy) {
        if (env.size() > policy.maxEnvEntries()) {
            throw Problem.badRequest("invalid_env", "env has " + env.size() + " entries; at most " + policy.maxEnvEntries() + " are allowed");
        }
        int bytes = 0;
        for (var e : env.entrySet()) {
            if (!KEY.matcher(e.getKey()).matches()) {
                throw Problem.badRequest("invalid_env", "env key '" + e.getKey() + "' must match [A-Za-z_][A-Za-z0-9_]*");
            }
            if (RESERVED.contains(e.getKey()) || e.getKey().startsWith("VIBED_")) {
                throw Problem.badRequest("invalid_env", "env key '" + e.getKey() + "' is reserved by the platform");
            }
            if (e.getValue().indexOf('\0') >= 0) {
                throw Problem.badRequest("invalid_env", "env value of '" + e.getKey() + "' contains a NUL character");
            }
            bytes += e.getKey().length() + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > policy.maxEnvBytes()) {
            throw Problem.badRequest("invalid_env", "env is " + bytes + " bytes; at most " + policy.maxEnvBytes() + " are allowed");
        }
        return Map.copyOf(env);
    }

    /** {@code env} with every masked value that names a current variable replaced by its current value. */
    public static Map<String, String> keepingMasked(Map<String, String> env, Map<String, String> current) {
        Map<String, String> out = new TreeMap<>();
        env.forEach((k, v) -> out.put(k, MASK.equals(v) && current.containsKey(k) ? current.get(k) : v));
        return out;
    }

    public static Map<String, String> masked(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        env.keySet().forEach(k -> out.put(k, MASK));
        return out;
    }
}
