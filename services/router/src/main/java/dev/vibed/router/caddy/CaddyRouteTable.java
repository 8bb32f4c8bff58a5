package dev.vibed.router.caddy;

import dev.vibed.core.route.Route;
import dev.vibed.core.route.RouteSync;
import dev.vibed.core.route.RouteTable;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * {@link RouteTable} on Caddy's admin API. Each app route has {@code @id} {@code vibed-app-<id>} and sits before the
 * {@link CaddyBase} routes (the wildcard, when used, and the 404 fallback), which are kept last.
 *
 * <ul>
 *   <li>upsert: {@code PATCH /id/<id>} replaces the route in place; when Caddy does not know the id, the route is
 *       inserted at index 0 ({@code PUT .../routes/0}, which inserts) with {@code If-Match} on the routes we just
 *       read, so two routers racing to insert the same app cannot both succeed: the loser gets 412, reads again,
 *       finds the route and patches it.</li>
 *   <li>remove: {@code DELETE /id/<id>}; 404 (unknown id) counts as done.</li>
 *   <li>routes: read back from Caddy, never from memory. Reading is also where we notice that Caddy restarted and
 *       forgot its dynamic config, so it first makes sure the server and the fallback route exist.</li>
 * </ul>
 * Several routers against one Caddy converge: every write is idempotent or conditional, and equal apps give equal
 * desired routes, so replicas only ever write the same thing.
 */
public final class CaddyRouteTable implements RouteTable {
    private static final Logger LOG = Logger.getLogger(CaddyRouteTable.class.getName());
    private static final int ATTEMPTS = 8;

    private final CaddyAdmin admin;
    private final String serverPath;
    private final String routesPath;
    private final List<String> listen;
    private final CaddyBase base;

    /**
     * @param server the Caddy HTTP server (its key under {@code apps.http.servers}) that serves the apps
     * @param listen its listen addresses, used only when the router has to create the server (a bare Caddy)
     */
    public CaddyRouteTable(URI adminUri, String server, List<String> listen, Duration timeout) {
        this(adminUri, server, listen, timeout, CaddyBase.fallbackOnly());
    }

    /** @param base the routes kept after the app routes, and the errors handling, restored at every resync */
    public CaddyRouteTable(URI adminUri, String server, List<String> listen, Duration timeout, CaddyBase base) {
        this.admin = new CaddyAdmin(adminUri, timeout);
        this.serverPath = "/config/apps/http/servers/" + server;
        this.routesPath = serverPath + "/routes";
        this.listen = List.copyOf(listen);
        this.base = base;
    }

    /** Admin API calls made through this table so far. */
    public CaddyAdminCalls adminCalls() {
        return admin.calls();
    }

    @Override
    public void upsert(Route route) throws RouteException {
        String json = CaddyRoutes.toJson(route).toString();
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                CaddyAdmin.Answer patched = admin.write("PATCH", "/id/" + route.id(), json, null);
                if (patched.ok()) {
                    return;
                }
                if (patched.status() != 404) {
                    throw new RouteException("PATCH of route " + route.id() + ": " + patched.status() + " " + patched.body(), null);
                }
                Routes current = readRoutes();
                if (current.ids().contains(route.id())) {
                    continue; // inserted meanwhile by another router: patch it
                }
                if (current.ids().isEmpty()) {
                    ensureBase(); // PUT .../routes/0 cannot insert into an empty array
                    continue;
                }
                CaddyAdmin.Answer inserted = admin.write("PUT", routesPath + "/0", json, current.etag());
                if (inserted.ok()) {
                    return;
                }
                if (inserted.status() != 412) {
                    throw new RouteException("insert of route " + route.id() + ": " + inserted.status() + " " + inserted.body(), null);
                }
            }
            throw new RouteException("route " + route.id() + ": Caddy's config kept changing under us", null);
        } catch (IOException e) {
            throw new RouteException("Caddy admin API unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(String routeId) throws RouteException {
        try {
            // More than one copy can exist only if someone else inserted it; delete until Caddy no longer knows it.
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                CaddyAdmin.Answer deleted = admin.write("DELETE", "/id/" + routeId, null, null);
                if (deleted.status() == 404) {
                    return;
                }
                if (!deleted.ok()) {
                    throw new RouteException("DELETE of route " + routeId + ": " + deleted.status() + " " + deleted.body(), null);
                }
            }
        } catch (IOException e) {
            throw new RouteException("Caddy admin API unreachable: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Route> routes() throws RouteException {
        try {
            ensureBase();
            Map<String, Route> out = new HashMap<>();
            for (JsonValue value : readRoutes().array()) {
                String id = CaddyRoutes.id(value);
                if (id.startsWith(RouteSync.ROUTE_PREFIX)) {
                    CaddyRoutes.fromJson(value.asJsonObject()).ifPresent(r -> out.put(id, r));
                }
            }
            return out;
        } catch (IOException e) {
            throw new RouteException("Caddy admin API unreachable: " + e.getMessage(), e);
        }
    }

    /** Whether the admin API answers at all (for the router's readiness). */
    public boolean reachable() {
        try {
            return admin.read("/config/").status() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes sure the server exists, ends with the base routes (the fallback last) and has the base's errors handling.
     * Runs at every resync: after a Caddy restart the initial config has none of it (or no server at all), and this
     * restores it. Reading costs no reload; only a missing or changed part is written.
     */
    public void ensureBase() throws IOException, RouteException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            CaddyAdmin.Read server = admin.read(serverPath);
            if (server.status() != 200 || server.body().isBlank() || server.body().trim().equals("null")) {
                CaddyAdmin.Answer created = admin.write("PUT", serverPath, CaddyRoutes.server(listen, base).toString(), null);
                if (!created.ok() && !created.body().contains("already exists")) {
                    throw new RouteException("creating Caddy server " + serverPath + ": " + created.status() + " " + created.body(), null);
                }
                LOG.info("created Caddy server " + serverPath + " listening on " + listen);
                continue;
            }
            if (removeRetired()) {
                continue;
            }
            Routes current = readRoutes();
            if (!tailInPlace(current.array())) {
                restoreTail(current);
                continue;
            }
            if (base.errors() != null && !base.errors().equals(parse(server.body()).get("errors"))) {
                // POST on an object member sets it, whether it exists or not.
                CaddyAdmin.Answer set = admin.write("POST", serverPath + "/errors", base.errors().toString(), null);
                if (!set.ok()) {
                    throw new RouteException("setting the errors handling: " + set.status() + " " + set.body(), null);
                }
                continue;
            }
            return;
        }
        throw new RouteException("Caddy's config kept changing while restoring the base routes", null);
    }

    /** Deletes one retired {@code @id} Caddy still holds; true when it did (the config changed). */
    private boolean removeRetired() throws IOException {
        for (String id : base.retired()) {
            if (admin.read("/id/" + id).status() == 200) {
                admin.write("DELETE", "/id/" + id, null, null);
                return true;
            }
        }
        return false;
    }

    private boolean tailInPlace(JsonArray routes) {
        List<JsonObject> tail = base.tail();
        if (routes.size() < tail.size()) {
            return false;
        }
        List<JsonValue> last = routes.subList(routes.size() - tail.size(), routes.size());
        for (int i = 0; i < tail.size(); i++) {
            // Compared as parsed JSON: Caddy gives back what we wrote, but not byte for byte.
            if (!parse(tail.get(i).toString()).equals(last.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Takes out base routes that are present but misplaced or changed, else appends the whole tail. */
    private void restoreTail(Routes current) throws IOException, RouteException {
        List<String> present = base.ids().stream().filter(current.ids()::contains).toList();
        if (!present.isEmpty()) {
            for (String id : present) {
                admin.write("DELETE", "/id/" + id, null, null);
            }
            return;
        }
        var tail = Json.createArrayBuilder();
        base.tail().forEach(tail::add);
        // Conditional, so two routers restoring a restarted Caddy append it once. POST to ".../..." appends an array.
        CaddyAdmin.Answer appended = current.missing()
                ? admin.write("PUT", routesPath, tail.build().toString(), null)
                : admin.write("POST", routesPath + "/...", tail.build().toString(), current.etag());
        if (!appended.ok() && appended.status() != 412) {
            throw new RouteException("adding the base routes: " + appended.status() + " " + appended.body(), null);
        }
    }

    private static JsonObject parse(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    private record Routes(JsonArray array, String etag, boolean missing) {
        Set<String> ids() {
            Set<String> ids = new HashSet<>();
            array.forEach(v -> ids.add(CaddyRoutes.id(v)));
            return ids;
        }

        List<String> order() {
            return array.stream().map(CaddyRoutes::id).toList();
        }
    }

    private Routes readRoutes() throws IOException, RouteException {
        CaddyAdmin.Read read = admin.read(routesPath);
        if (read.status() != 200) {
            throw new RouteException("reading " + routesPath + ": " + read.status() + " " + read.body(), null);
        }
        String body = read.body().trim();
        if (body.isEmpty() || body.equals("null")) {
            return new Routes(JsonValue.EMPTY_JSON_ARRAY, read.etag(), true);
        }
        try (var reader = Json.createReader(new StringReader(body))) {
            return new Routes(reader.readArray(), read.etag(), false);
        }
    }
}
