package dev.vibed.router.pages;

import dev.vibed.core.route.Route;
import dev.vibed.kube.routing.RouteMarkers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a host that does not reach a live app answers: one status, headers and body per case. Both ways of routing
 * answer the same pages: per-app Caddy routes as {@code static_response}, the wildcard through the router's page
 * server. The marker headers let a probe through Caddy tell the cases apart.
 */
public record Page(int status, Map<String, String> headers, String body) {
    private static final String HTML = "text/html; charset=utf-8";

    public static Page of(Route.Kind kind) {
        return switch (kind) {
            case SUSPENDED -> new Page(503, headers(HTML, RouteMarkers.SUSPENDED_HEADER, "true", false),
                    "<!doctype html><title>Suspended</title><h1>This app is suspended</h1>"
                            + "<p>Its owner suspended it; it serves again once resumed.</p>\n");
            case FAILED -> notServing("failed", "<!doctype html><title>App failed to start</title>"
                    + "<h1>App failed to start</h1><p>This app failed to start; its owner can see why.</p>\n");
            case STARTING -> notServing("starting", "<!doctype html><title>App starting</title>"
                    + "<h1>App starting</h1><p>This app is starting. Try again in a moment.</p>\n");
            case PROXY -> new Page(502, headers(HTML, RouteMarkers.NOT_SERVING_HEADER, "unreachable", true),
                    "<!doctype html><title>App not reachable</title><h1>App not reachable</h1>"
                            + "<p>This app is deployed but did not answer. Try again in a moment.</p>\n");
        };
    }

    /** Any host that names no app: a 404, never Caddy's empty 200, which looks like a live app. */
    public static Page noSuchApp() {
        return new Page(404, headers("text/plain; charset=utf-8", RouteMarkers.FALLBACK_HEADER, "true", false), "no such app\n");
    }

    private static Page notServing(String state, String body) {
        return new Page(503, headers(HTML, RouteMarkers.NOT_SERVING_HEADER, state, true), body);
    }

    private static Map<String, String> headers(String contentType, String marker, String value, boolean retry) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        if (retry) {
            h.put("Retry-After", "5");
        }
        h.put(marker, value);
        return Map.copyOf(h);
    }
}
