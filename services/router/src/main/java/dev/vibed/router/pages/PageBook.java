package dev.vibed.router.pages;

import dev.vibed.core.route.Route;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every app's desired route by host, as the route sync last gave it: what the page server looks up when Caddy's
 * wildcard could not reach an app. Memory only: the VibedApp watch and the resync refill it on start.
 */
public final class PageBook {
    private final Map<String, Route> byHost = new ConcurrentHashMap<>();
    private final Map<String, String> hostById = new ConcurrentHashMap<>();

    public void put(Route route) {
        String host = normalize(route.host());
        String before = hostById.put(route.id(), host);
        if (before != null && !before.equals(host)) {
            byHost.remove(before);
        }
        byHost.put(host, route);
    }

    public void remove(String routeId) {
        String host = hostById.remove(routeId);
        if (host != null) {
            byHost.remove(host);
        }
    }

    public Optional<Route> byId(String routeId) {
        String host = hostById.get(routeId);
        return host == null ? Optional.empty() : Optional.ofNullable(byHost.get(host));
    }

    public Collection<Route> all() {
        return List.copyOf(byHost.values());
    }

    /** The page a request's Host header gets: its app's state, or "no such app". */
    public Page pageFor(String hostHeader) {
        Route route = hostHeader == null ? null : byHost.get(normalize(hostHeader));
        return route == null ? Page.noSuchApp() : Page.of(route.kind());
    }

    /** Lowercase, without a port (IPv6 literals keep their brackets). */
    static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        if (colon > 0 && h.indexOf(']') < colon) {
            h = h.substring(0, colon);
        }
        return h;
    }
}
