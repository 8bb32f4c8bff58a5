package dev.vibed.router.wildcard;

import dev.vibed.core.route.Route;
import dev.vibed.core.route.RouteTable;
import dev.vibed.router.caddy.CaddyBase;
import dev.vibed.router.caddy.CaddyRouteTable;
import dev.vibed.router.pages.PageBook;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link RouteTable} for wildcard routing: Caddy's config does not grow with the apps. A Ready app whose target is
 * its own Service needs no Caddy call (the wildcard reaches it by name); every other state only updates the
 * {@link PageBook} the page server answers from. Only a target the wildcard cannot derive (a pod address in dev
 * setups) becomes a Caddy route of its own, placed before the wildcard.
 *
 * <p>{@link #routes()} reports the Caddy routes read back plus the book's other routes, which live in memory only:
 * they need nothing in Caddy but the base (wildcard, fallback, errors handling), and reading restores that base.
 */
public final class WildcardRouteTable implements RouteTable {
    private final CaddyRouteTable caddy;
    private final WildcardRoutes wildcard;
    private final PageBook book;
    /** Ids of the app routes Caddy holds, as last read or written: an implicit route removes its explicit one. */
    private final Set<String> explicit = ConcurrentHashMap.newKeySet();

    public WildcardRouteTable(CaddyRouteTable caddy, WildcardRoutes wildcard, PageBook book) {
        this.caddy = caddy;
        this.wildcard = wildcard;
        this.book = book;
    }

    /** What the Caddy table behind this one must keep last and restore. */
    public static CaddyBase base(WildcardRoutes wildcard) {
        return CaddyBase.of(List.of(wildcard.wildcard()), wildcard.errors());
    }

    @Override
    public void upsert(Route route) throws RouteException {
        book.put(route);
        if (needsOwnRoute(route)) {
            caddy.upsert(route);
            explicit.add(route.id());
        } else if (explicit.contains(route.id())) {
            caddy.remove(route.id());
            explicit.remove(route.id());
        }
    }

    @Override
    public void remove(String routeId) throws RouteException {
        book.remove(routeId);
        if (explicit.contains(routeId)) {
            caddy.remove(routeId);
            explicit.remove(routeId);
        }
    }

    @Override
    public Map<String, Route> routes() throws RouteException {
        Map<String, Route> inCaddy = new HashMap<>(caddy.routes());
        // Routes the wildcard makes unneeded (left by per-app routing, or by a target that is now the Service's) go:
        // reported as they are, they would equal the desired route and stay forever.
        for (Route r : List.copyOf(inCaddy.values())) {
            if (!needsOwnRoute(r)) {
                caddy.remove(r.id());
                inCaddy.remove(r.id());
            }
        }
        explicit.retainAll(inCaddy.keySet());
        explicit.addAll(inCaddy.keySet());
        Map<String, Route> out = new HashMap<>(inCaddy);
        for (Route r : book.all()) {
            if (!needsOwnRoute(r)) {
                out.putIfAbsent(r.id(), r);
            }
        }
        return out;
    }

    /** Restores the static config (for start-up; every resync does it too). */
    public void ensureBase() throws IOException, RouteException {
        caddy.ensureBase();
    }

    private boolean needsOwnRoute(Route route) {
        return route.kind() == Route.Kind.PROXY && !wildcard.serviceTarget(route.id()).equals(route.target());
    }
}
