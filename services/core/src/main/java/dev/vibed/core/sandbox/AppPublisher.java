package dev.vibed.core.sandbox;

import dev.vibed.core.app.App;

/**
 * Port: makes a ready sandbox reachable for the router and returns the {@code host:port} it should dial.
 * Kubernetes: the per-app Service {@code vibed-app-<id>} selecting the bound pod. Standalone: the sandbox's
 * loopback address as is.
 */
public interface AppPublisher {

    String publish(App app, SandboxLease lease) throws PublishException;

    void unpublish(String appId);

    class PublishException extends Exception {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Published, but not serving yet (e.g. the Service has no ready endpoint): not a failure, ask again soon. */
    class NotYetException extends PublishException {
        public NotYetException(String message) {
            super(message, null);
        }
    }
}
