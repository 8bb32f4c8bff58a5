package dev.vibed.standalone.proxy;

import dev.vibed.core.route.Route;
import dev.vibed.core.route.RouteTable;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The embedded proxy's routes, in memory: rebuilt from app status by route sync after a restart. */
public final class ProxyRouteTable implements RouteTable {
    private final Map<String, Route> byId = new ConcurrentHashMap<>();
    private final Map<String, Route> byHost = new ConcurrentHashMap<>();
    /** Who waits for a host's route (a deploy's serving check), so it looks again when the route is written. */
    private final Map<String, Set<Runnable>> watchers = new ConcurrentHashMap<>();

    @Override
    public void upsert(Route route) {
        synchronized (this) {
            Route old = byId.put(route.id(), route);
            if (old != null && !old.host().equals(route.host())) {
                byHost.remove(old.host());
            }
            byHost.put(route.host(), route);
        }
        Set<Runnable> waiting = watchers.get(route.host());
        if (waiting != null) {
            waiting.forEach(Runnable::run);
        }
    }

    /** Runs {@code changed} after each write of {@code host}'s route, until the handle is closed. */
    public AutoCloseable watchHost(String host, Runnable changed) {
        // Added and removed inside compute, so a handle closing at the same time never drops a fresh watcher.
        watchers.compute(host, (h, set) -> {
            Set<Runnable> next = set == null ? ConcurrentHashMap.newKeySet() : set;
            next.add(changed);
            return next;
        });
        return () -> watchers.computeIfPresent(host, (h, set) -> {
            set.remove(changed);
            return set.isEmpty() ? null : set;
        });
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
