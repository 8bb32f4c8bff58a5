package dev.vibed.core.route;

/**
 * One host's route. {@code id} is {@code vibed-app-<appId>} (also the Caddy {@code @id}).
 *
 * @param target {@code host:port} to dial; null for {@link Kind#SUSPENDED}
 */
public record Route(String id, String host, String target, Kind kind) {

    public enum Kind {
        /** Proxy to the app's sandbox. */
        PROXY,
        /** Answer a "this app is suspended" page instead of a generic 404. */
        SUSPENDED
    }
}
