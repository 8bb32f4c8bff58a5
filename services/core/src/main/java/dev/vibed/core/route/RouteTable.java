package dev.vibed.core.route;

import java.util.Map;

/**
 * Port: the router's table of host -> upstream. Standalone: the embedded proxy. Kubernetes: Caddy's admin API.
 * Implementations must make {@link #upsert} and {@link #remove} idempotent.
 */
public interface RouteTable {

    void upsert(Route route) throws RouteException;

    /** Removing an absent route succeeds. */
    void remove(String routeId) throws RouteException;

    /** The routes the table holds now, by id (read back from the proxy, not from memory, where possible). */
    Map<String, Route> routes() throws RouteException;

    class RouteException extends Exception {
        public RouteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
