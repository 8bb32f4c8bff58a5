package dev.vibed.standalone.proxy;

import dev.vibed.core.route.Route;
import dev.vibed.core.route.RouteTable;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The embedded proxy's routes, in memory: rebuilt from app status by route sync after a restart. */
public final class ProxyRouteTable implements RouteTable {
    private final Map<String, Route> byId = new ConcurrentHashMap<>();
    private final Map<String, Route> byHost = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void upsert(Route route) {
        synchronized (this) {
            Route old = byId.put(route.id(), route);
            if (old != null && !old.host().equals(route.host())) {
                byHost.remove(old.host());
            }
            byHost.put(route.host(), route);
        }
        listeners.forEach(Runnable::run);
    }

    @Override
    public void remove(String routeId) {
        synchronized (this) {
            Route old = byId.remove(routeId);
            if (old != null) {
                byHost.remove(old.host());
            }
        }
        listeners.forEach(Runnable::run);
    }

    /** Calls {@code change} after every change of the table (on the changing thread; it must be quick). */
    public AutoCloseable onChange(Runnable change) {
        listeners.add(change);
        return () -> listeners.remove(change);
    }

    @Override
    public Map<String, Route> routes() {
        return Map.copyOf(byId);
    }

    public Optional<Route> forHost(String host) {
        return Optional.ofNullable(byHost.get(host));
    }
}
