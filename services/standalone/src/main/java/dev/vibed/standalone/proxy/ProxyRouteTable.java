package dev.vibed.standalone.proxy;

import dev.vibed.core.route.Route;
import dev.vibed.core.route.RouteTable;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The embedded proxy's routes, in memory: rebuilt from app status by route sync after a restart. */
public final class ProxyRouteTable implements RouteTable {
    private final Map<String, Route> byId = new ConcurrentHashMap<>();
    private final Map<String, Route> byHost = new ConcurrentHashMap<>();

    @Override
    public synchronized void upsert(Route route) {
        Route old = byId.put(route.id(), route);
        if (old != null && !old.host().equals(route.host())) {
            byHost.remove(old.host());
        }
        byHost.put(route.host(), route);
    }

    @Override
    public synchronized void remove(String routeId) {
        Route old = byId.remove(routeId);
        if (old != null) {
            byHost.remove(old.host());
        }
    }

    @Override
    public Map<String, Route> routes() {
        return Map.copyOf(byId);
    }

    public Optional<Route> forHost(String host) {
        return Optional.ofNullable(byHost.get(host));
    }
}
