package dev.vibed.core.agent;

import dev.vibed.core.json.Jsons;
import jakarta.json.JsonObject;

import java.util.Map;

/**
 * Body of the agent's {@code POST /inject}. The agent pulls {@code sourceUrl}, checks {@code sha256},
 * extracts it under the archive rules, and starts the app on {@code port}. {@code revision} is an opaque
 * token the controller uses to tell whether the running app is the one it wants (it is echoed by /status).
 * {@code root} is the folder inside the archive that holds the app (for example {@code dist} or a single
 * top-level folder the user tarred), as decided by the classifier; empty means the archive root.
 */
public record InjectRequest(String sourceUrl, String sha256, Map<String, String> env, String entrypoint,
                            int port, String template, String root, String revision) {

    public InjectRequest {
        env = env == null ? Map.of() : Map.copyOf(env);
        root = root == null ? "" : root;
    }

    public JsonObject toJson() {
        var b = Jsons.builder()
                .add("source_url", sourceUrl)
                .add("sha256", sha256)
                .add("env", Jsons.object(env))
                .add("port", port);
        Jsons.addIfPresent(b, "entrypoint", entrypoint);
        Jsons.addIfPresent(b, "template", template);
        b.add("root", root);
        Jsons.addIfPresent(b, "revision", revision);
        return b.build();
    }

    public static InjectRequest fromJson(JsonObject o) {
        String url = Jsons.string(o, "source_url").orElseThrow(() -> new IllegalArgumentException("'source_url' is required"));
        String sha = Jsons.string(o, "sha256").orElseThrow(() -> new IllegalArgumentException("'sha256' is required"));
        if (!sha.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("'sha256' must be 64 lowercase hex characters");
        }
        long port = Jsons.number(o, "port", 8080);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'port' must be 1..65535");
        }
        return new InjectRequest(url, sha, Jsons.stringMap(o, "env"), Jsons.string(o, "entrypoint").orElse(null),
                (int) port, Jsons.string(o, "template").orElse(null), Jsons.string(o, "root").orElse(""),
                Jsons.string(o, "revision").orElse(null));
    }

    /** Never print env values: they are user secrets. */
    @Override
    public String toString() {
        return "InjectRequest[sha256=" + sha256 + ", envKeys=" + env.keySet() + ", port=" + port
                + ", template=" + template + ", revision=" + revision + "]";
    }
}
