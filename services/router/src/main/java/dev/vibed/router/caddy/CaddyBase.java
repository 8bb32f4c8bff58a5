package dev.vibed.router.caddy;

import jakarta.json.JsonObject;

import java.util.List;

/**
 * The part of Caddy's config the router keeps whatever the apps: the routes that stay last, in order (the 404
 * fallback always ends them), and the server's {@code errors} handling (null: left as it is). A restarted Caddy comes
 * back from its initial config without them (unless that config holds them, as the chart's does for wildcard routing),
 * so the router restores them at every resync. {@code retired} names the {@code @id}s of another mode's base, removed
 * when found (a switch between ways of routing).
 */
public record CaddyBase(List<JsonObject> tail, JsonObject errors, List<String> retired) {

    public CaddyBase {
        tail = List.copyOf(tail);
        retired = List.copyOf(retired);
    }

    /** One Caddy route per app: only the fallback is fixed. */
    public static CaddyBase fallbackOnly() {
        return new CaddyBase(List.of(CaddyRoutes.fallback()), null, List.of());
    }

    /** The given routes, then the fallback; and the given errors handling. */
    public static CaddyBase of(List<JsonObject> beforeFallback, JsonObject errors) {
        List<JsonObject> tail = new java.util.ArrayList<>(beforeFallback);
        tail.add(CaddyRoutes.fallback());
        return new CaddyBase(tail, errors, List.of());
    }

    /** The same base, also removing these {@code @id}s wherever Caddy holds them. */
    public CaddyBase retiring(String... ids) {
        return new CaddyBase(tail, errors, List.of(ids));
    }

    List<String> ids() {
        return tail.stream().map(CaddyRoutes::id).toList();
    }
}
