package dev.vibed.router.caddy;

import dev.vibed.core.route.Route;
import dev.vibed.kube.routing.RouteMarkers;
import dev.vibed.router.pages.Page;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.List;
import java.util.Optional;

/**
 * Our routes as Caddy JSON, and back. Only what we write is read back; foreign routes are left alone. Public for the
 * scale benchmark, which loads thousands of per-app routes at once to compare the two ways of routing.
 */
public final class CaddyRoutes {
    static final String FALLBACK_ID = "vibed-fallback";

    private CaddyRoutes() {
    }

    public static JsonObject toJson(Route route) {
        JsonObject handler = switch (route.kind()) {
            case PROXY -> Json.createObjectBuilder()
                    .add("handler", "reverse_proxy")
                    .add("upstreams", Json.createArrayBuilder().add(Json.createObjectBuilder().add("dial", route.target())))
                    // Lets the API's serving probe check that it reached this upstream, not an older route.
                    .add("headers", Json.createObjectBuilder().add("response", Json.createObjectBuilder()
                            .add("set", Json.createObjectBuilder().add(RouteMarkers.UPSTREAM_HEADER,
                                    Json.createArrayBuilder().add(RouteMarkers.upstreamTag(route.target()))))))
                    .build();
            case SUSPENDED, FAILED, STARTING -> staticResponse(Page.of(route.kind()));
        };
        return Json.createObjectBuilder()
                .add("@id", route.id())
                .add("match", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("host", Json.createArrayBuilder().add(route.host()))))
                .add("handle", Json.createArrayBuilder().add(handler))
                .add("terminal", true)
                .build();
    }

    /** A page as Caddy's {@code static_response}; the marker headers tell the kind back when read. */
    static JsonObject staticResponse(Page page) {
        var headers = Json.createObjectBuilder();
        page.headers().forEach((name, value) -> headers.add(name, Json.createArrayBuilder().add(value)));
        return Json.createObjectBuilder()
                .add("handler", "static_response")
                .add("status_code", page.status())
                .add("headers", headers)
                .add("body", page.body())
                .build();
    }

    /** Kept last: with no route matching, Caddy answers 200 with an empty body, which looks like a live app. */
    public static JsonObject fallback() {
        return Json.createObjectBuilder()
                .add("@id", FALLBACK_ID)
                .add("handle", Json.createArrayBuilder().add(staticResponse(Page.noSuchApp())))
                .build();
    }

    static JsonObject server(List<String> listen, CaddyBase base) {
        var addresses = Json.createArrayBuilder();
        listen.forEach(addresses::add);
        // Plain HTTP: TLS (wildcard certificates) belongs in the Caddy config the chart ships. Left on, automatic
        // HTTPS would turn this listener into TLS and start ACME orders for every app host.
        var routes = Json.createArrayBuilder();
        base.tail().forEach(routes::add);
        var server = Json.createObjectBuilder()
                .add("listen", addresses)
                .add("automatic_https", Json.createObjectBuilder().add("disable", true))
                .add("routes", routes);
        if (base.errors() != null) {
            server.add("errors", base.errors());
        }
        return server.build();
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
