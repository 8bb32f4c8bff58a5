package dev.vibed.core.route;

/**
 * One host's route. {@code id} is {@code vibed-app-<appId>} (also the Caddy {@code @id}).
 *
 * @param target {@code host:port} to dial; null for every kind but {@link Kind#PROXY}
 */
public record Route(String id, String host, String target, Kind kind) {

    public enum Kind {
        /** Proxy to the app's sandbox. */
        PROXY,
        /** Answer a "this app is suspended" page instead of a generic 404. */
        SUSPENDED,
        /** Answer "this app failed to start; its owner can see why": the app exists, and nothing more is said. */
        FAILED,
        /** Answer "this app is starting" while a first version is claimed, installed, built or started. */
        STARTING
    }
}
