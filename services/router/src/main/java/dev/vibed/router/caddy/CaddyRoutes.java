package dev.vibed.router.caddy;

import dev.vibed.core.route.Route;
import dev.vibed.kube.routing.RouteMarkers;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.List;
import java.util.Optional;

/** Our routes as Caddy JSON, and back. Only what we write is read back; foreign routes are left alone. */
final class CaddyRoutes {
    static final String FALLBACK_ID = "vibed-fallback";

    private CaddyRoutes() {
    }

    static JsonObject toJson(Route route) {
        JsonObject handler = switch (route.kind()) {
            case PROXY -> Json.createObjectBuilder()
                    .add("handler", "reverse_proxy")
                    .add("upstreams", Json.createArrayBuilder().add(Json.createObjectBuilder().add("dial", route.target())))
                    // Lets the API's serving probe check that it reached this upstream, not an older route.
                    .add("headers", Json.createObjectBuilder().add("response", Json.createObjectBuilder()
                            .add("set", Json.createObjectBuilder().add(RouteMarkers.UPSTREAM_HEADER,
                                    Json.createArrayBuilder().add(RouteMarkers.upstreamTag(route.target()))))))
                    .build();
            case SUSPENDED -> Json.createObjectBuilder()
                    .add("handler", "static_response")
                    .add("status_code", 503)
                    .add("headers", Json.createObjectBuilder()
                            .add("Content-Type", Json.createArrayBuilder().add("text/html; charset=utf-8"))
                            .add(RouteMarkers.SUSPENDED_HEADER, Json.createArrayBuilder().add("true")))
                    .add("body", "<!doctype html><title>Suspended</title><h1>This app is suspended</h1>"
                            + "<p>Its owner suspended it; it serves again once resumed.</p>\n")
                    .build();
            case FAILED -> notServing("failed", "<!doctype html><title>App failed to start</title>"
                    + "<h1>App failed to start</h1><p>This app failed to start; its owner can see why.</p>\n");
            case STARTING -> notServing("starting", "<!doctype html><title>App starting</title>"
                    + "<h1>App starting</h1><p>This app is starting. Try again in a moment.</p>\n");
        };
        return Json.createObjectBuilder()
                .add("@id", route.id())
                .add("match", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("host", Json.createArrayBuilder().add(route.host()))))
                .add("handle", Json.createArrayBuilder().add(handler))
                .add("terminal", true)
                .build();
    }

    /** The 503 page of an app that exists but does not serve; the marker header tells the kind back. */
    private static JsonObject notServing(String state, String body) {
        return Json.createObjectBuilder()
                .add("handler", "static_response")
                .add("status_code", 503)
                .add("headers", Json.createObjectBuilder()
                        .add("Content-Type", Json.createArrayBuilder().add("text/html; charset=utf-8"))
                        .add("Retry-After", Json.createArrayBuilder().add("5"))
                        .add(RouteMarkers.NOT_SERVING_HEADER, Json.createArrayBuilder().add(state)))
                .add("body", body)
                .build();
    }

    /** Kept last: with no route matching, Caddy answers 200 with an empty body, which looks like a live app. */
    static JsonObject fallback() {
        return Json.createObjectBuilder()
                .add("@id", FALLBACK_ID)
                .add("handle", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("handler", "static_response")
                        .add("status_code", 404)
                        .add("headers", Json.createObjectBuilder()
                                .add("Content-Type", Json.createArrayBuilder().add("text/plain; charset=utf-8"))
                                .add(RouteMarkers.FALLBACK_HEADER, Json.createArrayBuilder().add("true")))
                        .add("body", "no such app\n")))
                .build();
    }

    static JsonObject server(List<String> listen) {
        var addresses = Json.createArrayBuilder();
        listen.forEach(addresses::add);
        // Plain HTTP: TLS (wildcard certificates) belongs in the Caddy config the chart ships. Left on, automatic
        // HTTPS would turn this listener into TLS and start ACME orders for every app host.
        return Json.createObjectBuilder()
                .add("listen", addresses)
                .add("automatic_https", Json.createObjectBuilder().add("disable", true))
                .add("routes", Json.createArrayBuilder().add(fallback()))
                .build();
    }

    private static Route.Kind staticKind(JsonObject handler) {
        JsonObject headers = handler.getJsonObject("headers");
        JsonArray state = headers == null ? null : headers.getJsonArray(RouteMarkers.NOT_SERVING_HEADER);
        if (state == null || state.isEmpty()) {
            return Route.Kind.SUSPENDED;
        }
        return "failed".equals(state.getString(0)) ? Route.Kind.FAILED : Route.Kind.STARTING;
    }

    static String id(JsonValue route) {
        return route.getValueType() == JsonValue.ValueType.OBJECT ? route.asJsonObject().getString("@id", "") : "";
    }

    /** The route we wrote under {@code @id}, or empty for anything we would not have written. */
    static Optional<Route> fromJson(JsonObject json) {
        try {
            String id = json.getString("@id", "");
            JsonArray match = json.getJsonArray("match");
            JsonArray handle = json.getJsonArray("handle");
            if (match == null || match.isEmpty() || handle == null || handle.isEmpty()) {
                return Optional.empty();
            }
            String host = match.getJsonObject(0).getJsonArray("host").getString(0);
            JsonObject handler = handle.getJsonObject(0);
            return switch (handler.getString("handler", "")) {
                case "reverse_proxy" -> Optional.of(new Route(id, host,
                        handler.getJsonArray("upstreams").getJsonObject(0).getString("dial"), Route.Kind.PROXY));
                case "static_response" -> Optional.of(new Route(id, host, null, staticKind(handler)));
                default -> Optional.empty();
            };
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
