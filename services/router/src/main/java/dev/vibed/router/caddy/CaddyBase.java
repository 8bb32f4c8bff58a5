package dev.vibed.router.caddy;

import jakarta.json.JsonObject;

import java.util.List;

/**
 * The part of Caddy's config the router keeps whatever the apps: the routes that stay last, in order (the 404
 * fallback always ends them), and the server's {@code errors} handling (null: none). A restarted Caddy comes back
 * from its initial config without them, so the router restores them at every resync.
 */
public record CaddyBase(List<JsonObject> tail, JsonObject errors) {

    public CaddyBase {
        tail = List.copyOf(tail);
    }

    /** One Caddy route per app: only the fallback is fixed. */
    public static CaddyBase fallbackOnly() {
        return new CaddyBase(List.of(CaddyRoutes.fallback()), null);
    }

    /** The given routes, then the fallback; and the given errors handling. */
    public static CaddyBase of(List<JsonObject> beforeFallback, JsonObject errors) {
        List<JsonObject> tail = new java.util.ArrayList<>(beforeFallback);
        tail.add(CaddyRoutes.fallback());
        return new CaddyBase(tail, errors);
    }

    List<String> ids() {
        return tail.stream().map(CaddyRoutes::id).toList();
    }
}
